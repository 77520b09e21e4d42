"""Finding ids in words. `code_not_integer` is for tools, tests and the JSON; a reader of the
page or the terminal sees "Code is not a number". Every finding id has words here
(tests/diagnose/test_labels.py walks `diagnose.engine.FINDINGS`)."""

FINDING_LABELS = {
    "empty_input": "Nothing pasted",
    "input_too_large": "Paste too large",
    "not_json": "Not JSON",
    "nested_too_deep": "Nested too deeply",
    "secret_redacted": "Secret masked",
    "legacy_v2_format": "Legacy V2 error",
    "not_an_error": "Not an error",
    "success_flag_missing": "No success flag",
    "success_flag_not_false": "Success flag is not false",
    "error_object_only": "Error object without its envelope",
    "code_missing": "No error code",
    "code_not_integer": "Code is not a number",
    "unknown_code": "Unknown code",
    "message_mismatch": "Another message",
    "status_mismatch": "Status differs from the code's",
    "http_status_mismatch": "HTTP status differs from the code's",
    "retry_after_missing": "No wait given",
    "retry_after_invalid": "Wait is not whole seconds",
    "retry_after_unexpected": "Wait given on another code",
    "retry_after_header_mismatch": "Wait header disagrees",
    "trace_id_missing": "No trace id",
    "trace_id_malformed": "Trace id malformed",
    "trace_id_misplaced": "Trace id in the wrong place",
    "doc_url_mismatch": "Documentation link names another code",
    "gateway_response": "Answered by a gateway, not by Linq",
    "transport_error": "No answer at all",
    # The request that was sent (diagnose.engine.request).
    "request_refused": "Linq would refuse this request",
    "request_no_problem": "No problem found in the request",
    "request_would_cause": "More problems in the request",
    "request_field_missing": "Required field missing",
    "request_phone_not_e164": "Phone number not in E.164",
    "request_recipients": "Recipients",
    "request_idempotency_key_missing": "No idempotency key",
    "request_parts_invalid": "Message parts",
    "request_part_too_long": "Message part too long",
    "request_part_not_alone": "Part must be alone",
    "request_first_message_link": "Link in a first message",
    "request_media_url": "Media URL",
    "request_app_part": "App part (iMessage)",
    "request_attachment_type": "Attachment type",
    "request_attachment_size": "Attachment size",
    "request_upload_put": "Upload request",
    "request_webhook_target": "Webhook target",
    "request_image_url": "Contact card image",
    "request_v2_api": "Legacy V2 API",
    "request_not_linq_host": "Not Linq's address",
    "request_auth_missing": "No Authorization header",
    "request_content_type": "Content type",
    "request_body_not_json": "Body is not JSON",
    "request_chat_id": "Chat id",
    "request_unknown_endpoint": "Endpoint without field rules",
}


def finding_label(finding_id: str) -> str:
    """The words for `finding_id`; an id without any (never one of FINDINGS) reads as words."""
    return FINDING_LABELS.get(finding_id) or finding_id.replace("_", " ").capitalize()
