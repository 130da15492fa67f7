from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """A signed, expiring token (PASSWORD_RESET_TIMEOUT) that dies once it has been used:
    the hash covers the account's active flag and address."""

    key_salt = "tribune.accounts.email-verification"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


verification_tokens = EmailVerificationTokenGenerator()
