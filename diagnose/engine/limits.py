"""The bounds every paste is read within; the page, the API, the command and support share them."""

MAX_INPUT_BYTES = 64 * 1024  # a paste past this is not read at all (HTTP 413 on the API)
MAX_DEPTH = 32  # JSON nesting; an error envelope is two levels deep
MAX_WAIT_SECONDS = 366 * 24 * 3600  # longer waits are reported but not turned into a clock time
# Distinct diagnoses shown on the page, in the API and in a ticket's snapshot; more are counted.
MAX_GROUPS = 20
# Trace ids listed with one diagnosis (as many as a support request takes); more are counted.
MAX_TRACE_IDS = 20
