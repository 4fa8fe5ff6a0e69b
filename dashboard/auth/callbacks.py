"""Which page each Dash callback belongs to, from the pages' own layouts.

The index is built once, on the first callback request (every page and callback is
registered by then): each registered page's validation layout (its layout function
called without arguments, as Dash itself does) is walked for component ids, so a
page added by anyone is covered without listing its ids here. A pattern-matching
id counts by its ``type``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import dash

from dashboard.auth.policy import roles_for_ids
from dashboard.auth.principal import Role

PAGES_LOCATION = "_pages_location"


def id_key(component_id: object) -> str:
    """The index key of a component id (a string, or a pattern-matching dict)."""
    if isinstance(component_id, Mapping):
        return str(component_id.get("type", json.dumps(component_id, sort_keys=True)))
    if isinstance(component_id, str) and component_id.startswith("{"):
        try:
            return id_key(json.loads(component_id))
        except ValueError:
            return component_id
    return str(component_id)


def _walk_ids(node: Any) -> Iterator[str]:
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from _walk_ids(child)
        return
    if not hasattr(node, "to_plotly_json"):
        return
    component_id = getattr(node, "id", None)
    if component_id is not None:
        yield id_key(component_id)
    for name in getattr(node, "_prop_names", ()):
        value = getattr(node, name, None)
        if value is not None and name != "id":
            yield from _walk_ids(value)


def component_ids(tree: Any) -> frozenset[str]:
    """Every component id (index key) in a layout tree."""
    return frozenset(_walk_ids(tree))


def page_path(page: Mapping[str, Any]) -> str:
    """A registered page's path without variables: "/wall/<name>" → "/wall"."""
    raw = str(page.get("path_template") or page.get("path") or "/")
    static = raw.split("<", 1)[0].rstrip("/")
    return static or "/"


def build_pages_of(pages: Iterable[Mapping[str, Any]]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for page in pages:
        layout = page.get("layout")
        tree = layout() if callable(layout) else layout
        path = page_path(page)
        for key in _walk_ids(tree):
            found.setdefault(key, set()).add(path)
    return {key: frozenset(paths) for key, paths in found.items()}


def output_ids(output_key: str) -> list[str]:
    """Output ids of a callback from its key in Dash's callback map:
    ``id.prop`` or ``..id.prop...id.prop..`` (several outputs)."""
    parts = output_key.removeprefix("..").removesuffix("..").split("...")
    return [id_key(part.rsplit(".", 1)[0]) for part in parts if "." in part]


class CallbackIndex:
    """Output key (Dash's ``output`` field) → the roles allowed to run it, and the
    ids of its outputs."""

    def __init__(self, app: dash.Dash) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._built: dict[str, tuple[frozenset[Role], tuple[str, ...]]] | None = None

    def roles(self, output_key: str) -> frozenset[Role] | None:
        """None: no such callback (refuse)."""
        found = self._entry(output_key)
        return None if found is None else found[0]

    def outputs(self, output_key: str) -> tuple[str, ...]:
        """The output ids of a registered callback (empty: none, or unknown)."""
        found = self._entry(output_key)
        return () if found is None else found[1]

    def _entry(self, key: str) -> tuple[frozenset[Role], tuple[str, ...]] | None:
        with self._lock:
            if self._built is None:
                self._built = self._build()
            return self._built.get(key)

    def _build(self) -> dict[str, tuple[frozenset[Role], tuple[str, ...]]]:
        pages_of = build_pages_of(dash.page_registry.values())
        built: dict[str, tuple[frozenset[Role], tuple[str, ...]]] = {}
        for key, spec in self._app.callback_map.items():
            ids = () if spec.get("no_output") else tuple(output_ids(key))
            built[key] = (roles_for_ids(ids, pages_of), ids)
        return built
