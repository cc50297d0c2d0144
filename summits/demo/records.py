"""The shape of the demo content, one record per row that seed_demo creates."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from summits.choices import ItemKind


@dataclass(frozen=True)
class DemoParticipant:
    slug: str
    name: dict[str, str]  # language -> name
    role: dict[str, str]  # language -> role
    country: str
    wikidata_id: str


@dataclass(frozen=True)
class DemoTopic:
    slug: str
    name: dict[str, str]  # language -> name


@dataclass(frozen=True)
class DemoStance:
    participant: str  # a DemoParticipant's slug
    position: str
    quote: str
    source_name: str


@dataclass(frozen=True)
class DemoUpdate:
    date: datetime.date
    status: str
    note: str
    source_name: str


@dataclass(frozen=True)
class DemoItem:
    kind: ItemKind
    topic: str  # a DemoTopic's slug
    title: str
    summary: str
    quote: str  # must occur exactly once in the article's plain text
    stances: tuple[DemoStance, ...] = ()
    updates: tuple[DemoUpdate, ...] = ()


@dataclass(frozen=True)
class DemoCorrection:
    published_at: datetime.datetime
    text: str


@dataclass(frozen=True)
class DemoSummit:
    slug: str
    language: str
    title: str
    teaser: str
    credit_line: str
    body: str
    city: str
    venue: str
    country: str
    start_date: datetime.date
    publish_at: datetime.datetime
    participants: tuple[str, ...]
    topics: tuple[str, ...]
    items: tuple[DemoItem, ...]
    corrections: tuple[DemoCorrection, ...] = ()
    original: str | None = None  # the slug of the summit this one translates


def article(filename: str) -> str:
    """An article body kept as an HTML file next to this module."""
    return (Path(__file__).parent / filename).read_text(encoding="utf-8")
