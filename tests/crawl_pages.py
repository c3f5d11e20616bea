# ruff: noqa: RUF001 -- the pages are in Japanese and Chinese, full-width punctuation included
"""Pages in several languages and charsets, and a WARC file of them, written by the tests themselves."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

CRAWLED = "2021-03-02T10:00:00Z"


def page(title: str, paragraphs: list[str], head: str = "", lang: str = "") -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html{f' lang={lang!r}' if lang else ''}><head>{head}<title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>\n{body}</article>"
        "<footer><p>Copyright 2019 Example Media. All rights reserved.</p></footer></body></html>"
    )


GERMAN = page(
    "Stadtrat beschließt neuen Radweg",
    [
        "Der Stadtrat hat am Montagabend beschlossen, entlang der Hauptstraße einen neuen Radweg zu bauen. "
        "Die Arbeiten sollen im Frühjahr beginnen und ungefähr sechs Monate dauern.",
        "Bürgermeisterin Anna Müller sagte, die Stadt wolle damit den Verkehr sicherer machen. "
        "Die Kosten von rund zwei Millionen Euro übernimmt zum größten Teil das Land.",
        "Anwohner hatten sich seit Jahren über gefährliche Überholmanöver beschwert. "
        "Die Opposition kritisierte, dass für Fußgänger zu wenig getan werde.",
    ],
    head='<meta property="article:published_time" content="2021-02-26T18:30:00+01:00">',
)
FRENCH = page(
    "Le conseil municipal vote un budget de crise",
    [
        "Le conseil municipal a adopté jeudi soir un budget exceptionnel pour soutenir les commerçants "
        "touchés par la fermeture des marchés. L’enveloppe atteint trois millions d’euros.",
        "«\u00a0Nous devions agir vite\u00a0», a déclaré le maire devant les élus. Les aides seront versées "
        "dès le mois prochain aux entreprises qui en feront la demande.",
        "L’opposition a salué l’effort mais regrette l’absence de contrôle sur l’usage des fonds publics.",
    ],
    head='<meta charset="windows-1252">',
)
JAPANESE = page(
    "市議会が新しい図書館の建設を承認",
    [
        "市議会は二日、駅前に新しい図書館を建設する計画を賛成多数で承認した。"
        "完成は再来年の春を予定しており、総事業費はおよそ四十億円になる見込みだ。",
        "市長は記者会見で「子どもからお年寄りまで誰もが集まれる場所にしたい」と述べた。"
        "一方、反対した議員からは財政負担を心配する声が上がった。",
        "新しい図書館には学習室や子ども向けの読み聞かせの部屋も設けられる予定である。",
    ],
)
CHINESE = page(
    "市政府宣布扩建城市公园",
    [
        "市政府星期一宣布，将在明年扩建城市中心公园，新增绿地面积约二十公顷。"
        "工程预计投资三亿元，其中大部分资金来自地方财政。",
        "市长在新闻发布会上表示，扩建后的公园将为市民提供更多休闲和运动的空间。"
        "部分居民担心施工期间的噪音和交通问题。",
        "有关部门表示，将在施工前听取周边居民的意见，并尽量减少对日常生活的影响。",
    ],
    head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
)
ENGLISH = page(
    "Council approves harbour clean-up",
    [
        "The city council on Tuesday approved a plan to clean up the old harbour, "
        "where decades of shipbuilding left the water polluted.",
        "The mayor, Maria Lopez, said the work would start in the summer and take two years. "
        "Fishermen welcomed the decision but asked for compensation while the harbour is closed.",
        "Environmental groups said the plan did not go far enough.",
    ],
)

# (target URI, HTTP Content-Type, page, the charset the bytes are written in)
RESPONSES = [
    ("https://example.de/2021/02/26/radweg.html", "text/html; charset=ISO-8859-1", GERMAN, "latin-1"),
    ("https://example.fr/actualites/budget-de-crise", "text/html", FRENCH, "cp1252"),
    ("https://example.jp/news/library", "text/html; charset=Shift_JIS", JAPANESE, "shift_jis"),
    ("https://example.cn/news/park", "text/html", CHINESE, "gb18030"),
    ("https://example.com/2021/03/01/harbour", "text/html; charset=utf-8", ENGLISH, "utf-8"),
]


def write_warc(path: Path, *, gzip: bool = True) -> None:
    """Each page with its request, plus an image, a revisit, a redirect and a warcinfo record."""
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "presspipe tests"}))
        for uri, content_type, html, charset in RESPONSES:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", uri.split("/")[2])], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=request)
            )
            writer.write_record(_response(writer, uri, content_type, html.encode(charset)))
        writer.write_record(
            _response(writer, "https://example.com/logo.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00")
        )
        moved = StatusAndHeaders("301 Moved Permanently", [("Location", "https://example.com/")], "HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "http://example.com/", "response", payload=io.BytesIO(b""), http_headers=moved
            )
        )
        revisit = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_revisit_record(
                RESPONSES[-1][0],
                digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                refers_to_uri=RESPONSES[-1][0],
                refers_to_date=CRAWLED,
                http_headers=revisit,
            )
        )


def _response(writer: WARCWriter, uri: str, content_type: str, body: bytes) -> object:
    http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": CRAWLED}
    )


def arc_file(records: list[tuple[str, str, bytes]]) -> bytes:
    """An ARC (version 1) file of ``(URL, Content-Type, body)`` HTTP responses, as the Internet Archive wrote them."""
    version = b"1 0 presspipe-tests\nURL IP-address Archive-date Content-type Archive-length\n"
    out = b"filedesc://tests.arc 0.0.0.0 20210302100000 text/plain %d\n" % len(version) + version + b"\n"
    for url, content_type, body in records:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\n\r\n" + body
        media_type = content_type.split(";")[0].encode()
        out += b"%s 127.0.0.1 20210302100000 %s %d\n" % (url.encode(), media_type, len(http)) + http + b"\n"
    return out
