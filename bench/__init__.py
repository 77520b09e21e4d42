"""Measuring the hot paths (`make bench`), and the crafted pastes the tests share."""
