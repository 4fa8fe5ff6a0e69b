"""Hostile references and ids, as a probe sent them: URL-like values where a camera
event names its snapshot, and markup (links, images, HTML, headings) in ids that
reach screens and phone pushes. The edge must refuse every one (unit tests of the
contract, and the fuzz corpus through a real consumer)."""

from __future__ import annotations

NAME = "20261120T141305000Z-zone_intrusion"  # a well-formed snapshot name

# Where an id of the form `<YYYYmmddTHHMMSSmmmZ>-<kind>` belongs.
URL_REFERENCES: tuple[str, ...] = (
    "/logout",
    " /logout ",
    "/logout?next=/duty",
    "/%6cogout",
    "../../logout",
    "/admin",
    "/_dash-update-component",
    "http://evil.example/x.jpg",
    "https://evil.example/snapshots/cam-power-room/x.jpg",
    "//evil.example/x.jpg",
    "\\\\evil.example\\x.jpg",
    "javascript:alert(1)",
    "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
    f"/snapshots/cam-power-room/{NAME}.jpg",  # a route, even a real one: not an id
    f"/snapshots/cam-parking/{NAME}.jpg",
    f"{NAME}.jpg",
    f"{NAME}?x=1",
    f"{NAME}/../../logout",
    f"[证据]({NAME})",
    "![x](/logout)",
    "<img src=/logout>",
    "20261399T141305000Z-zone_intrusion",  # no such day
    "٢٠٢٦1120T141305000Z-zone_intrusion",  # Arabic-Indic digits
)

# Where an id (letters, digits, `.`, `_`, `-`) belongs: appointment ids.
MARKUP_IDS: tuple[str, ...] = (
    "[点此核验](http://evil.example/p)",
    "![](http://evil.example/i.png)",
    "[AP1](dingtalk://dingtalkclient/page/link?url=http%3A%2F%2Fevil.example)",
    '<font color="warning">紧急</font>',
    "<@all>",
    "<a href=http://evil.example>AP1</a>",
    "**AP1**",
    "`AP1`",
    "AP1\n### 假标题",
    "AP1\r\n> 请点击",
    "> AP1",
    "# AP1",
    "http://evil.example/p",
    "AP 1",
    "AP1)",
    "AP1&lt;",
    "_AP1_",
    "AP\u202e1",
)
