from django_tasks import task

from tribune.checks.actions import perform_check_run


@task()
def run_submission_checks(run_id: int) -> str | None:
    """Run the checks of one run (idempotent: a finished run is left alone)."""
    run = perform_check_run(run_id)
    return run.state if run is not None else None
