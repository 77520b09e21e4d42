"""The media-URL check, run in each language against a file host served over HTTPS with a
certificate made for the test (trusted through each runtime's own setting, or not).
"""

import os
import shutil
import subprocess

import pytest

from tests.errors.snippet_calls import LANGUAGES, calls, runnable
from tests.errors.test_snippets import envelope, run, snippet
from tests.fake_linq import FakeLinq

# --- media-url: 5002, 5004, 5006, 5007 -----------------------------------------------------------

PDF = b"%PDF-1.7\n" + b"x" * 2000
PNG = b"\x89PNG\r\n\x1a\n" + b"x" * 2000


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[str, str]:
    """A certificate for 127.0.0.1, made with openssl, for a media host served over HTTPS."""
    if not shutil.which("openssl"):
        if os.environ.get("CI"):
            pytest.fail("openssl is needed to test the media-URL snippet over HTTPS")
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def trusting(cert: str, url: str) -> dict[str, str]:
    """The environment in which each language trusts the test certificate, and the URL."""
    return {
        "MEDIA_URL": url,
        "SSL_CERT_FILE": cert,  # Python (OpenSSL)
        "NODE_EXTRA_CA_CERTS": cert,  # Node
        "CURL_CA_BUNDLE": cert,  # curl
    }


def media_run(language, tmp_path, certificate, media, path, trust=True, scheme="https"):
    runnable(language)
    fake = FakeLinq(envelope(5002), failures=0, media=media)
    env = (
        trusting(certificate[0], "{base_url}" + path)
        if trust
        else {"MEDIA_URL": "{base_url}" + path}
    )
    tls = certificate if scheme == "https" else None
    done, _ = run(language, snippet(5002, language), tmp_path, fake, env_extra=env, tls=tls)
    return done, fake


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_media_snippet_passes_a_public_https_file_of_a_supported_type(
    language, tmp_path, certificate
):
    code = 5002  # 5004, 5006 and 5007 show the same set (test_each_code_shows_its_set)
    runnable(language)
    media = {"/files/brochure.pdf": (200, "application/pdf", PDF)}
    fake = FakeLinq(envelope(code), failures=0, media=media)
    env = trusting(certificate[0], "{base_url}/files/brochure.pdf")
    done, _ = run(language, snippet(code, language), tmp_path, fake, env_extra=env, tls=certificate)
    assert done.returncode == 0, done.stderr
    assert "ready to send" in done.stdout
    assert calls(fake) == [("GET", "/files/brochure.pdf")]
    assert "Authorization" not in fake.requests[0].headers  # fetched as Linq would, without a token


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("path", "media", "says"),
    [
        ("/files/photo.png", {"/files/photo.png": (404, "text/html", b"<h1>gone</h1>")},
         "answers HTTP 404"),
        ("/files/photo.webp", {"/files/photo.webp": (200, "image/webp", b"RIFF....WEBP")},
         "image/webp is not among the supported types listed here (5004)"),
        ("/files/photo.jpg", {"/files/photo.jpg": (200, "image/png", PNG)},
         "the extension .jpg says image/jpeg, the server says image/png (5006)"),
        ("/files/photo.png", {"/files/photo.png": (200, "image/png", b"<html>login</html>")},
         "the bytes are not image/png"),
        ("/files/video.mp4", {"/files/video.mp4": (200, "video/mp4", b"\0" * (10 * 2**20 + 1))},
         "larger than 10 MB: pre-upload it"),
        ("/files/brochure.pdf", {"/files/brochure.pdf": (200, "", PDF)},
         "no content-type is not among the supported types"),
    ],
)  # fmt: skip
def test_the_media_snippet_names_what_linq_would_refuse(
    path, media, says, language, tmp_path, certificate
):
    done, fake = media_run(language, tmp_path, certificate, media, path)
    assert done.returncode != 0
    assert says in done.stderr, done.stderr
    assert len(fake.requests) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_media_snippet_refuses_an_untrusted_certificate(language, tmp_path, certificate):
    media = {"/files/brochure.pdf": (200, "application/pdf", PDF)}
    done, _ = media_run(language, tmp_path, certificate, media, "/files/brochure.pdf", trust=False)
    assert done.returncode != 0
    assert "certificate is not valid" in done.stderr, done.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_media_snippet_refuses_plain_http(language, tmp_path, certificate):
    media = {"/files/brochure.pdf": (200, "application/pdf", PDF)}
    done, _ = media_run(
        language, tmp_path, certificate, media, "/files/brochure.pdf", scheme="http"
    )
    assert done.returncode != 0
    assert "not HTTPS" in done.stderr
