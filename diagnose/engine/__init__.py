"""The diagnosis of a paste: masking, parsing and the rules that turn it into findings."""
