from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tribune.accounts import actions
from tribune.accounts.models import Profile
from tribune.core.forms import per_language_fields


class _ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["user", "display_name", "slug", "editor_alerts"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for code, bio in self.instance.bios.items():
            self.initial[f"bio_{code}"] = bio


ProfileForm = type(
    "ProfileForm",
    (_ProfileForm,),
    per_language_fields(
        "bio", _("Bio in %(language)s"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    ),
)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileForm
    list_display = ["display_name", "slug", "user"]
    search_fields = ["display_name", "slug", "user__username", "user__email"]
    autocomplete_fields = ["user"]
    prepopulated_fields = {"slug": ["display_name"]}

    def save_form(self, request: HttpRequest, form: ProfileForm, change: bool) -> Profile:
        bios = {code: form.cleaned_data[f"bio_{code}"] for code, _name in settings.LANGUAGES}
        profile = form.save(commit=False)
        changes = {
            "editor_alerts": profile.editor_alerts,
            "display_name": profile.display_name,
            "slug": profile.slug,
            "user": profile.user,
            "bios": bios,
        }
        return actions.update_profile(request.user, profile, **changes)

    def save_model(
        self, request: HttpRequest, obj: Profile, form: ProfileForm, change: bool
    ) -> None:
        """Stored by save_form through actions.update_profile."""


class UserAdmin(DjangoUserAdmin):
    # Editors pick authors by the name readers see, not only by username.
    search_fields = (*DjangoUserAdmin.search_fields, "profile__display_name")


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
