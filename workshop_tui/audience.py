"""The audience's view of a workshop, read from the server of the process that owns the data directory.

``workshop-tui present`` (a second terminal, the projector) never opens the store: it finds the owner's
server in ``<data dir>/server.json`` (``server.runtime_file``), reads the public workshop and wall
(``GET /api/v1/w/{code}``, ``GET .../ideas``, revalidated with their ETag) and the admin summary (how
many joined, the join URL the QR code encodes, whether authors' names are projected; while they are,
the names from ``GET /api/v1/admin/w/{code}/ideas/authors``), and follows the public event stream
(``GET .../events``). It only ever reads. Everything here is typed at the boundary: the answers are
validated into the models below (which ignore fields a newer server may add).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from workshop_tui.errors import WorkshopError
from workshop_tui.phases import Phase
from workshop_tui.server.runtime_file import RUNTIME_FILE, ServerRuntime, read_runtime

API = "/api/v1"
M = TypeVar("M", bound=BaseModel)
TIMEOUT = httpx.Timeout(5.0, read=30.0)  # the event stream sends a keepalive every 15 s


class OwnerNotRunning(WorkshopError):
    """No process serves this data directory now (no file, a stale one, or nobody answers)."""

    status = 503
    kind = "owner_not_running"


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class AudienceTimer(_Answer):
    phase: Phase
    seconds: int
    seconds_left: float
    running: bool
    ends_at: dt.datetime | None = None


class AudienceReady(_Answer):
    """How many are done with the phase's task: counts, never names."""

    task: str
    people: int
    done: int


class AudienceTheme(_Answer):
    id: str
    name: str


class AudienceTeam(_Answer):
    idea_id: str
    members: int  # a count: the room's screen names nobody


class AudienceWorkshop(_Answer):
    code: str
    title: str
    prompt: str = ""
    language: str = "en"
    phase: Phase
    voting_open: bool = False
    results_revealed: bool = False
    timer: AudienceTimer | None = None
    private_notes: int = 0  # written in private, off the wall until revealed
    ready: AudienceReady | None = None
    themes: tuple[AudienceTheme, ...] = ()  # by name: a theme's place gives its colour
    candidate_idea_ids: tuple[str, ...] = ()  # what the room ranks in the teams phase
    teams: tuple[AudienceTeam, ...] = ()  # once published
    follow_url: str | None = None


class AudienceNote(_Answer):
    id: str
    text: str
    theme: str | None = None
    theme_id: str | None = None
    dots: int | None = None  # only once the results are revealed


class AudienceSummary(_Answer):
    code: str
    participants: int
    join_url: str
    show_authors: bool = False  # the facilitator projects authors' names (never in an anonymous workshop)


class AudienceAuthors(_Answer):
    authors: dict[str, str]  # note id -> its author's name


class AudienceSnapshot(BaseModel):
    """Everything the presenter draws, read at one moment."""

    model_config = ConfigDict(frozen=True)

    workshop: AudienceWorkshop
    notes: tuple[AudienceNote, ...]
    participants: int
    join_url: str
    authors: dict[str, str] | None = None  # note id -> name, only while the facilitator projects names


def find_owner(data_dir: Path) -> ServerRuntime:
    found = read_runtime(data_dir)
    if found.runtime is None:
        raise OwnerNotRunning(
            found.problem
            or f"no workshop-tui serves {data_dir} now (no {RUNTIME_FILE}): start `workshop-tui` or "
            "`workshop-tui serve` with this data directory"
        )
    return found.runtime


class AudienceClient:
    """One connection to the owner's server; ``OwnerNotRunning`` when it is gone (the caller retries)."""

    def __init__(self, data_dir: Path, code: str) -> None:
        self.data_dir = data_dir
        self.code = code.upper()
        self._runtime: ServerRuntime | None = None
        self._client: httpx.AsyncClient | None = None
        self._ideas_tag: str | None = None
        self._notes: tuple[AudienceNote, ...] = ()
        self._authors: tuple[object, dict[str, str]] | None = None  # (what they were read for, the names)

    async def __aenter__(self) -> AudienceClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _http(self) -> httpx.AsyncClient:
        """Re-read the server file each time we are not connected: the owner may have restarted elsewhere."""
        runtime = find_owner(self.data_dir)
        if self._client is None or self._runtime != runtime:
            self._runtime = runtime
            self._ideas_tag = None
            self._client = httpx.AsyncClient(base_url=runtime.local_url, timeout=TIMEOUT, trust_env=False)
        return self._client

    async def _forget(self) -> None:
        await self.close()
        self._runtime = None

    async def _get(self, path: str, *, admin: bool = False, headers: dict[str, str] | None = None) -> httpx.Response:
        client = self._http()
        sent = dict(headers or {})
        if admin and self._runtime is not None:
            sent["Authorization"] = f"Bearer {self._runtime.admin_token}"
        try:
            response = await client.get(path, headers=sent)
        except httpx.HTTPError as exc:
            await self._forget()
            raise OwnerNotRunning(f"the workshop-tui serving {self.data_dir} does not answer ({exc})") from None
        if response.status_code >= 400 and response.status_code != 304:
            raise WorkshopError(_error_message(response))
        return response

    async def snapshot(self) -> AudienceSnapshot:
        code = self.code
        workshop = _parse(AudienceWorkshop, (await self._get(f"{API}/w/{code}")).json())
        headers = {"If-None-Match": self._ideas_tag} if self._ideas_tag else None
        ideas = await self._get(f"{API}/w/{code}/ideas", headers=headers)
        if ideas.status_code != 304:
            self._notes = tuple(_parse(AudienceNote, item) for item in ideas.json())
            self._ideas_tag = ideas.headers.get("ETag")
        listed = (await self._get(f"{API}/admin/workshops", admin=True)).json()
        summaries = [_parse(AudienceSummary, item) for item in listed] if isinstance(listed, list) else []
        mine = next((s for s in summaries if s.code == code), None)
        if mine is None:
            raise WorkshopError(f"no workshop {code} in {self.data_dir}")
        return AudienceSnapshot(
            workshop=workshop,
            notes=self._notes,
            participants=mine.participants,
            join_url=mine.join_url,
            authors=await self._names() if mine.show_authors else None,
        )

    async def _names(self) -> dict[str, str]:
        """The authors of the wall's notes, read again only when the wall changed (its ETag)."""
        if self._authors is None or self._authors[0] != self._ideas_tag:
            found = _parse(
                AudienceAuthors, (await self._get(f"{API}/admin/w/{self.code}/ideas/authors", admin=True)).json()
            )
            self._authors = (self._ideas_tag, found.authors)
        return self._authors[1]

    async def events(self) -> AsyncIterator[str]:
        """The type of each message of the public event stream, until it ends (``OwnerNotRunning``)."""
        client = self._http()
        try:
            async with client.stream("GET", f"{API}/w/{self.code}/events") as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise WorkshopError(_error_message(response))
                async for line in response.aiter_lines():
                    if not line.startswith("data:"):
                        continue  # comments (keepalives), retry hints, blank separators
                    try:
                        payload = json.loads(line[5:])
                    except ValueError:
                        continue
                    if isinstance(payload, dict) and isinstance(payload.get("type"), str):
                        yield payload["type"]
        except httpx.HTTPError as exc:
            await self._forget()
            raise OwnerNotRunning(f"the event stream of {self.data_dir}'s server ended ({exc})") from None
        await self._forget()
        raise OwnerNotRunning(f"the workshop-tui serving {self.data_dir} stopped")


def _parse(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise WorkshopError(f"the server's answer is not what workshop-tui expects: {exc.errors()[0]['msg']}") from None


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return f"{body['error']} (HTTP {response.status_code})"
    return f"HTTP {response.status_code} from the workshop-tui server"
