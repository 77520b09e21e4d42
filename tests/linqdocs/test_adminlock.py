"""The admin sign-in is throttled per username and per client (django-axes, linqdocs.adminlock):
a clear page when locked, and ways for staff to lift the lock."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("ops", "ops@example.com", PASSWORD)


def sign_in(username: str, password: str, address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def fail(times: int, username: str = "ops", address: str = "203.0.113.7") -> list:
    return [sign_in(username, "wrong", address) for _ in range(times)]


def assert_locked(response):
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert "Sign-in is paused" in html
    assert "15 minutes" in html
    assert "Access attempts" in html and "axes_reset_username" in html  # how to unlock


def test_wrong_passwords_are_refused_plainly_below_the_limit(admin_user):
    for response in fail(4):
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert sign_in("ops", PASSWORD).status_code == 302  # and a success starts afresh
    assert not AccessAttempt.objects.exists()


def test_the_right_password_after_many_wrong_ones_is_refused(admin_user):
    *_, fifth = fail(5)
    assert_locked(fifth)
    assert_locked(sign_in("ops", PASSWORD))


def test_the_lock_holds_per_username_from_any_address(admin_user):
    fail(5, address="203.0.113.7")
    assert_locked(sign_in("ops", PASSWORD, address="198.51.100.20"))


def test_the_lock_holds_per_client_for_any_username(admin_user, django_user_model):
    django_user_model.objects.create_superuser("colleague", "c@example.com", PASSWORD)
    for number in range(5):
        sign_in(f"guess{number}", "wrong", address="203.0.113.7")
    assert_locked(sign_in("colleague", PASSWORD, address="203.0.113.7"))
    assert sign_in("colleague", PASSWORD, address="198.51.100.20").status_code == 302


def test_a_colleague_lifts_the_lock_in_the_admin(admin_user, django_user_model):
    fail(5, address="203.0.113.7")
    colleague = Client()
    colleague.force_login(
        django_user_model.objects.create_superuser("colleague", "c@example.com", "x")
    )
    listing = colleague.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "ops" in listing.content.decode()
    for attempt in AccessAttempt.objects.all():
        url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
        assert colleague.post(url, {"post": "yes"}).status_code == 302
    assert sign_in("ops", PASSWORD).status_code == 302


def test_a_command_lifts_the_lock_for_a_username(admin_user):
    fail(5, address="203.0.113.7")
    call_command("axes_reset_username", "ops")
    assert sign_in("ops", PASSWORD, address="198.51.100.20").status_code == 302
