"""System checks for the content folder: `manage.py check` names the file and field at fault."""

from django.conf import settings
from django.core.checks import Error, register

from errors import startup
from errors.loading import validate_content


@register("content")
def check_content(app_configs: object = None, **kwargs: object) -> list[Error]:
    problems = validate_content(settings.CONTENT_DIR)
    if not problems:
        startup.prepare()  # the load just done is indexed and kept, not repeated by the server
    return [
        Error(
            f"{problem.path.name}: {problem.field or 'file'} {problem.message}",
            hint=f"Edit {problem.path}",
            obj=str(problem.path),
            id="errors.E001",
        )
        for problem in problems
    ]
