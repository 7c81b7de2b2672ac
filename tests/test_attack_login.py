"""Attack suite, login: `avg-assistent serve` on 127.0.0.1 attacked at /login and /logout over HTTP.

* a lock-out answers with its Dutch message, as slowly as a wrong password or an unknown name
  (no user-name oracle), and an unknown name locks like an account does;
* a new password or a new role ends the account's sessions, also when changed by another
  process (the CLI);
* GET /logout ends nothing; a cross-site POST is refused; "overal uitloggen" ends every session;
* parallel bursts of wrong passwords from one address: at most 20 failures are accepted, the
  rest get 429 — while a correct login of another account from that address still works;
* easy passwords are refused with a Dutch reason.

The tests run in file order: the burst, which leaves 127.0.0.1 throttled, comes last.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from browser_support import running_server

from assistant.features.accounts.users import USERS_FILE, AccountError, UserStore
from assistant.interfaces.web.login import COOKIE

PASSWORD = "lang-genoeg-wachtwoord-42"
NEW_PASSWORD = "een heel ander wachtwoord 77"
ACCOUNTS = {
    "beheer": "beheerder",
    "anna": "medewerker",
    "bert": "medewerker",
    "carl": "medewerker",
    "slot": "medewerker",
    "tijd": "medewerker",
    "doelwit": "medewerker",
    "eva": "medewerker",
}
LOCKED_WORDS = "tijdelijk geblokkeerd"


@dataclass
class Site:
    url: str
    data: Path

    def users(self) -> UserStore:
        return UserStore(self.data / USERS_FILE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data = tmp_path_factory.mktemp("attack-login") / "data"
    data.mkdir()
    users = UserStore(data / USERS_FILE)
    for name, role in ACCOUNTS.items():
        users.add(name, role, PASSWORD)
    with running_server(data) as url:
        yield Site(url.rstrip("/"), data)


def post_login(site: Site, name: str, password: str, **kwargs: object) -> httpx.Response:
    return httpx.post(
        f"{site.url}/login", data={"username": name, "password": password}, timeout=60, **kwargs
    )  # type: ignore[arg-type]


def cookies_of(site: Site, name: str, password: str = PASSWORD) -> httpx.Cookies:
    response = post_login(site, name, password)
    assert response.status_code == 200, response.text
    return response.cookies


def alive(site: Site, cookies: httpx.Cookies) -> bool:
    status = httpx.get(f"{site.url}/config", cookies=cookies, timeout=60).status_code
    assert status in (200, 401)
    return status == 200


def timed(site: Site, name: str, password: str) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = post_login(site, name, password)
    return time.perf_counter() - started, response


def test_a_lock_out_says_so_in_dutch_and_takes_as_long_as_any_failure(site: Site) -> None:
    for _ in range(5):
        assert post_login(site, "slot", "fout-wachtwoord-1").status_code == 400
    refused = post_login(site, "slot", PASSWORD)
    assert refused.status_code == 400 and LOCKED_WORDS in refused.json()["detail"]
    page = post_login(site, "slot", PASSWORD, headers={"Accept": "text/html"})
    assert page.status_code == 400 and LOCKED_WORDS in page.text and 'role="alert"' in page.text

    for _ in range(4):  # an unknown name locks the same way: the message tells nothing
        assert "onjuist wachtwoord" in post_login(site, "niemand", "fout-wachtwoord-1").json()["detail"]
    assert LOCKED_WORDS in post_login(site, "niemand", "fout-wachtwoord-1").json()["detail"]

    # Interleaved, so a busy moment of the machine (the server warming up beside the test)
    # falls on all three kinds alike instead of on whichever kind was timed first.
    locked: list[float] = []
    unknown: list[float] = []
    wrong: list[float] = []
    for i in range(3):  # as many failures as before: the address limit is for the last test
        locked.append(timed(site, "slot", PASSWORD)[0])
        unknown.append(timed(site, f"onbekend{i}", PASSWORD)[0])
        wrong.append(timed(site, "tijd", "fout-wachtwoord-1")[0])
    medians = [statistics.median(t) for t in (locked, unknown, wrong)]
    assert min(medians) > 0.4 * max(medians), medians  # one password hash each, not 10 ms vs 300 ms


def test_a_new_password_ends_the_accounts_sessions(site: Site) -> None:
    cookies = cookies_of(site, "carl")
    assert alive(site, cookies)
    site.users().set_password("carl", NEW_PASSWORD, actor="beheer")  # another process, as the CLI
    assert not alive(site, cookies), "the session from before the reset is dead"
    assert alive(site, cookies_of(site, "carl", NEW_PASSWORD))


def test_a_new_role_ends_the_accounts_sessions(site: Site) -> None:
    cookies = cookies_of(site, "bert")
    assert alive(site, cookies)
    site.users().set_role("bert", "consultant", actor="beheer")
    assert not alive(site, cookies)
    assert alive(site, cookies_of(site, "bert"))


def test_logout_only_by_a_post_from_the_app_itself(site: Site) -> None:
    first, second = cookies_of(site, "anna"), cookies_of(site, "anna")
    for path in ("/logout", "/logout?all_session=false", "/logout?all_session=true"):
        response = httpx.get(f"{site.url}{path}", cookies=first, timeout=60)
        assert response.status_code == 200 and "Op alle apparaten uitloggen" in response.text
    assert alive(site, first) and alive(site, second), "a GET (a link, an image) logs nobody out"

    cross = httpx.post(
        f"{site.url}/logout", cookies=first, data={"overal": "1"}, headers={"Origin": "http://evil.example"}
    )
    assert cross.status_code == 403 and alive(site, first) and alive(site, second)

    one = httpx.post(f"{site.url}/logout", cookies=first, headers={"Origin": site.url})
    assert one.status_code == 303 and not alive(site, first) and alive(site, second)
    third = cookies_of(site, "anna")
    everywhere = httpx.post(
        f"{site.url}/logout", cookies=third, data={"overal": "1"}, headers={"Origin": site.url}
    )
    assert everywhere.status_code == 303 and not alive(site, third) and not alive(site, second)


def test_easy_passwords_are_refused_in_dutch(site: Site) -> None:
    users = site.users()
    for weak in (
        "aaaaaaaaaaaa",
        "123456789012",
        "qwertyuiopas",
        "wachtwoord123",
        "welkom2024welkom",
        "Zomer2024!!!",
    ):
        with pytest.raises(AccountError, match="te makkelijk te raden|minstens"):
            users.add("zwak", "medewerker", weak)
        with pytest.raises(AccountError, match="te makkelijk te raden|minstens"):
            users.set_password("eva", weak)
    assert users.get("zwak") is None


def test_parallel_bursts_from_one_address_get_at_most_20_failures(site: Site) -> None:
    attempts = [("doelwit", f"fout-{i:02d}-wachtwoord") for i in range(30)]
    attempts += [(f"spray{i}", "Welkom01!2024") for i in range(30)]

    def attempt(pair: tuple[str, str]) -> int:
        return post_login(site, *pair).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(attempt, attempts))
    failures, refused = statuses.count(400), statuses.count(429)
    assert failures <= 20 and failures + refused == len(attempts), statuses
    account = site.users().get("doelwit")
    assert account is not None

    assert post_login(site, "doelwit", PASSWORD).status_code in (400, 429), "it failed from here: no login"
    assert post_login(site, "eva", PASSWORD).status_code == 200, "a colleague behind the same address logs in"
    wrong = post_login(site, "eva", "fout-wachtwoord-1")
    assert wrong.status_code == 429 and "Te veel mislukte" in wrong.json()["detail"]
    assert COOKIE not in wrong.cookies
