"""The one HTTP client of every remote call: SPARQL queries, SPARQL updates, Graph Store requests.

One httpx client per remote store, with the timeouts, retries and credentials the commands
promise. Credentials come only from $WSISGRAPH_USER and $WSISGRAPH_PASSWORD, are sent only in
answer to the server's challenge (Basic or Digest, whichever it asks for: Virtuoso asks for
Digest, GraphDB and Fuseki usually Basic) and are never printed. Transient failures (connection
refused, timeouts, HTTP 429/502/503/504) are retried with exponential backoff; every error names
the URL and carries the server's own message on one line.
"""

import time
import urllib.parse
from collections.abc import Callable, Generator
from typing import TypeVar

import httpx

from wsisgraph.core import settings
from wsisgraph.core.errors import WsisgraphError

RETRY_STATUS = {429, 502, 503, 504}
DEFAULT_TIMEOUT = 60.0
DEFAULT_ATTEMPTS = 3
FIRST_BACKOFF = 0.5
CONNECT_TIMEOUT = 10.0  # a server that does not even accept the connection within this is not coming

T = TypeVar("T")


class Transient(Exception):
    """A failure worth another attempt: the endpoint may answer a moment later."""


class HttpError(WsisgraphError):
    """A request the endpoint answered with an error status that another attempt will not change."""

    def __init__(self, url: str, status: int, reason: str):
        super().__init__(f"{url}: {reason}")
        self.status = status
        self.reason = reason


def check_url(url: str, option: str) -> str:
    """An http(s) URL without credentials in it (they belong in the environment, and URLs get printed)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WsisgraphError(f"{option} must be an http(s) URL, got {url!r}")
    if parts.username or parts.password:
        raise WsisgraphError(f"{option}: put credentials in ${settings.USER} and ${settings.PASSWORD}, not in the URL")
    return url


def with_retries(call: Callable[[], T], endpoint: str, attempts: int = DEFAULT_ATTEMPTS,
                 backoff: float = FIRST_BACKOFF) -> T:
    """call(), again after 0.5 s, 1 s, 2 s... while it fails transiently; then an error naming the endpoint."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Transient as exc:
            if attempt == attempts:
                tries = f" (after {attempts} attempts)" if attempts > 1 else ""
                raise WsisgraphError(f"{endpoint}: {exc}{tries}") from exc
            time.sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def clip(text: str) -> str:
    """A server's error text on one line, short enough for a terminal."""
    return " ".join(text.split())[:400]


def http_failure(url: str, status: int, text: str) -> HttpError | Transient:
    """The error for an HTTP status: transient ones are retried, the rest reported."""
    detail = f": {text}" if text else ""
    if status in RETRY_STATUS:
        return Transient(f"HTTP {status}{detail}")
    if status == 401:
        advice = (f"the credentials in ${settings.USER} and ${settings.PASSWORD} were refused" if settings.credentials()
                  else f"authentication required; set ${settings.USER} and ${settings.PASSWORD}")
        return HttpError(url, status, f"HTTP 401: {advice}")
    if status == 404:
        return HttpError(url, status, f"HTTP 404: nothing at this URL{detail}")
    return HttpError(url, status, f"HTTP {status}{detail}")


class ChallengeAuth(httpx.Auth):
    """Answer the scheme the server asks for (Basic or Digest); no credentials go out before a challenge."""

    def __init__(self, user: str, password: str):
        self.schemes: dict[str, httpx.Auth] = {"basic": httpx.BasicAuth(user, password),
                                               "digest": httpx.DigestAuth(user, password)}
        self.chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.chosen is not None:
            yield from self.chosen.auth_flow(request)
            return
        response = yield request
        offered = [value.split(" ", 1)[0].lower() for value in response.headers.get_list("www-authenticate")]
        scheme = next((name for name in ("digest", "basic") if name in offered), None)
        if response.status_code != 401 or scheme is None:
            return
        self.chosen = self.schemes[scheme]
        yield from self.chosen.auth_flow(request)


class Client:
    """One store's HTTP client: a timeout per request, retries with backoff, credentials from the environment."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, attempts: int = DEFAULT_ATTEMPTS):
        found = settings.credentials()
        self.timeout = timeout
        self.attempts = attempts
        self.http = httpx.Client(auth=ChallengeAuth(*found) if found else None,
                                 timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)))

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        """One HTTP request, retried on transient failures; other failures raise an error naming `url`."""

        def send() -> httpx.Response:
            try:
                response = self.http.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
                    raise Transient(f"no answer within {self.timeout:g} s") from exc
                raise Transient(f"cannot reach the endpoint: {exc or type(exc).__name__}") from exc
            if not response.is_success:
                raise http_failure(url, response.status_code, clip(response.text))
            return response

        return with_retries(send, url, self.attempts)
