from django import forms

from feedback.models import COMMENT_MAX_LENGTH


class VoteForm(forms.Form):
    page = forms.CharField(max_length=64)
    helpful = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages={"required": "Choose Yes or No.", "invalid_choice": "Choose Yes or No."},
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": (
                f"Keep the comment under {COMMENT_MAX_LENGTH:,} characters (it has %(show_value)d)."
            )
        },
    )
