"""The floor of the benchmark: the site's own pages as plain Markdown, built by MkDocs with no plugin.

The playbook plugin hands MkDocs finished HTML, so MkDocs' Markdown never runs on a generated page.
The floor is what the same site costs when MkDocs does that work: every generated page converted
back from its HTML into the Markdown a person would write for it, built by MkDocs and Material with
the same theme (the playbook's template overrides included), features, palette, navigation,
Markdown extensions and search plugin as the real site, and no playbook plugin.

The conversion (`to_plain_markdown`) writes:

- headings as `## Text {#id}` (attr_list keeps the id; `toc` adds the permalink again);
- paragraphs, `**bold**`, `*italics*`, `` `code` ``, and lists (nested by indentation);
- tables as pipe tables (the `tables` extension), centred columns as `:-:`;
- links as `[text](../kpis.md#anchor)`: every link between pages goes back to the page's Markdown
  file, so MkDocs resolves and checks each link as it does for pages written by hand;
- abbreviations as `*[MQL]: definition` lines at the end of the page (the `abbr` extension marks
  every use on the page, as the site's own markup does);
- the onboarding checklist as task list items (`pymdownx.tasklist`);
- styled blocks (`<div class="...">`) kept as HTML with `markdown="1"`, their inside written as
  Markdown (the `md_in_html` extension); the funnel SVG and the self-assessment form, which have
  no Markdown form, as raw HTML blocks.

The floor is checked in the benchmark to have the same pages as the site.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

VOID = {"input", "br", "hr", "img", "meta", "link", "wbr", "col", "source"}
RAW_BLOCKS = {"svg", "form", "script", "style"}  # no Markdown form: written as raw HTML
BLOCKS = {
    "p",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "figure",
    "figcaption",
    "fieldset",
    "legend",
    "section",
    "details",
    "summary",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "hr",
    *(f"h{n}" for n in range(1, 7)),
    *RAW_BLOCKS,
}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Any] = field(default_factory=list)  # Node or str (text, unescaped)
    raw: str = ""  # the element's HTML as written, for raw blocks


class _TreeBuilder(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source_lines = source.splitlines(keepends=True)
        self.offsets = [0]
        for line in self.source_lines:
            self.offsets.append(self.offsets[-1] + len(line))
        self.source = source
        self.root = Node("root")
        self.stack = [self.root]
        self.raw_start: list[tuple[Node, int]] = []

    def _pos(self) -> int:
        line, column = self.getpos()
        return self.offsets[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag in VOID:
            return
        if tag in RAW_BLOCKS and not self.raw_start:
            self.raw_start.append((node, self._pos()))
        elif tag in RAW_BLOCKS:
            self.raw_start.append((node, -1))
        self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while len(self.stack) > 1:
            node = self.stack.pop()
            if self.raw_start and self.raw_start[-1][0] is node:
                _node, start = self.raw_start.pop()
                if start >= 0:
                    end = self.source.index(">", self._pos()) + 1
                    node.raw = self.source[start:end]
            if node.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(source: str) -> Node:
    builder = _TreeBuilder(source)
    builder.feed(source)
    builder.close()
    return builder.root


_SPECIAL = re.compile(r"([\\`*_\[\]])")


def _text(value: str) -> str:
    """Plain text as Markdown: entities and the characters Markdown reads escaped, spaces collapsed."""
    value = html.escape(value, quote=False)
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", value))


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {key}="{html.escape(value, quote=True)}"' for key, value in attrs.items())


class Converter:
    """One page's HTML as Markdown; links go back to the pages' Markdown files."""

    def __init__(self, path: str, url_to_path: dict[str, str], published: set[str], page_url: str) -> None:
        self.path = path
        self.url_to_path = url_to_path
        self.published = published
        self.page_url = page_url
        self.abbreviations: dict[str, str] = {}

    # --- links ---------------------------------------------------------------------------------

    def href(self, href: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("#") or not href:
            return href
        target, hash_, anchor = href.partition("#")
        folder = self.page_url if self.page_url.endswith("/") or not self.page_url else posixpath.dirname(self.page_url)
        resolved = posixpath.normpath(posixpath.join(folder, target)) if target else self.page_url
        resolved = "" if resolved == "." else resolved
        if target.endswith("/") and resolved:
            resolved += "/"
        page = self.url_to_path.get(resolved)
        if page is None and resolved.rstrip("/") in self.published:
            page = resolved.rstrip("/")
        if page is None:
            return href
        relative = posixpath.relpath(page, posixpath.dirname(self.path) or ".")
        return relative + (hash_ + anchor if anchor else "")

    # --- inline --------------------------------------------------------------------------------

    def inline(self, nodes: list[Any]) -> str:
        return "".join(self._inline(node) for node in nodes).strip()

    def _inline(self, node: Any) -> str:
        if isinstance(node, str):
            return _text(node)
        tag, attrs = node.tag, node.attrs
        if tag == "a":
            if "headerlink" in attrs.get("class", ""):
                return ""
            text = self.inline(node.children)
            return f"[{text}]({self.href(attrs.get('href', ''))})"
        if tag == "abbr":
            text = "".join(child for child in node.children if isinstance(child, str))
            if attrs.get("title"):
                self.abbreviations.setdefault(text, attrs["title"])
            return _text(text)
        if tag == "strong":
            return f"**{self.inline(node.children)}**"
        if tag == "em":
            return f"*{self.inline(node.children)}*"
        if tag == "code":
            text = "".join(child for child in node.children if isinstance(child, str))
            return f"`{text}`"
        if tag == "br":
            return "  \n"
        if tag in VOID:
            return f"<{tag}{_attrs(attrs)}>"
        if tag in BLOCKS:
            return self.inline(node.children)
        return f"<{tag}{_attrs(attrs)}>{self.inline(node.children)}</{tag}>"

    # --- blocks --------------------------------------------------------------------------------

    def blocks(self, nodes: list[Any]) -> list[str]:
        """Markdown blocks for a run of nodes; inline runs become paragraphs."""
        out: list[str] = []
        run: list[Any] = []

        def flush() -> None:
            text = self.inline(run)
            if text:
                out.append(text)
            run.clear()

        for node in nodes:
            if isinstance(node, Node) and node.tag in BLOCKS:
                flush()
                block = self.block(node)
                if block:
                    out.append(block)
            else:
                run.append(node)
        flush()
        return out

    def block(self, node: Node) -> str:
        tag = node.tag
        if tag in RAW_BLOCKS:
            return node.raw
        if re.fullmatch(r"h[1-6]", tag):
            ident = node.attrs.get("id")
            text = self.inline(node.children)
            return "#" * int(tag[1]) + " " + text + (f" {{#{ident}}}" if ident else "")
        if tag == "p":
            return self.inline(node.children)
        if tag in ("ul", "ol"):
            return self.list_block(node)
        if tag == "table":
            return self.table(node)
        if tag == "hr":
            return "---"
        # A styled block: its HTML kept, its inside as Markdown (md_in_html).
        inner = "\n\n".join(self.blocks(node.children))
        return f'<{tag}{_attrs(node.attrs)} markdown="1">\n\n{inner}\n\n</{tag}>'

    def list_block(self, node: Node) -> str:
        items: list[str] = []
        number = 0
        for child in node.children:
            if not isinstance(child, Node) or child.tag != "li":
                continue
            number += 1
            marker = f"{number}." if node.tag == "ol" else "-"
            children = child.children
            task = ""
            label = next((c for c in children if isinstance(c, Node) and c.tag == "label"), None)
            if label is not None and any(isinstance(c, Node) and c.tag == "input" for c in label.children):
                task = "[ ] "
                children = [c for c in label.children if not (isinstance(c, Node) and c.tag == "input")]
            parts = self.blocks(children)
            first, rest = (parts[0], parts[1:]) if parts else ("", [])
            indent = " " * 4
            item = f"{marker} {task}{first}"
            for part in rest:
                item += "\n\n" + "\n".join(indent + line if line else line for line in part.split("\n"))
            items.append(item)
        return "\n".join(items)

    def table(self, node: Node) -> str:
        rows: list[tuple[list[str], list[str]]] = []  # (cells, alignments)

        def walk(element: Node) -> None:
            for child in element.children:
                if not isinstance(child, Node):
                    continue
                if child.tag == "tr":
                    cells, aligns = [], []
                    for cell in child.children:
                        if isinstance(cell, Node) and cell.tag in ("th", "td"):
                            cells.append(self.inline(cell.children).replace("|", "\\|").replace("\n", " ") or " ")
                            aligns.append("center" if "pb-center" in cell.attrs.get("class", "") else "")
                    rows.append((cells, aligns))
                else:
                    walk(child)

        walk(node)
        if not rows:
            return ""
        head, aligns = rows[0]
        rule = [":-:" if align == "center" else "---" for align in aligns]
        lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(rule) + " |"]
        lines += ["| " + " | ".join(cells) + " |" for cells, _aligns in rows[1:]]
        return "\n".join(lines)


def to_plain_markdown(path: str, page_html: str, hide: tuple[str, ...], url_to_path: dict[str, str], published: set[str]) -> str:
    from playbook_site.site.paths import url_of

    converter = Converter(path, url_to_path, published, url_of(path, True))
    body = "\n\n".join(converter.blocks(parse(page_html).children))
    front = f"---\nhide: {json.dumps(list(hide))}\n---\n\n" if hide else ""
    definitions = "".join(f"\n*[{short}]: {' '.join(title.split())}" for short, title in sorted(converter.abbreviations.items()))
    return front + body + "\n" + ("\n" + definitions.lstrip("\n") + "\n" if definitions else "")


def _plain(value: Any) -> Any:
    """The navigation with its titles as plain text (the plugin hands MkDocs titles already escaped)."""
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return html.unescape(str(value)) if isinstance(value, str) else value


def write_floor(project: Path, out: Path) -> Path:
    """The floor project for the playbook repository `project` (mkdocs.yml, content/): out/mkdocs.yml
    and out/docs/ with every generated page as plain Markdown, the exports and the assets."""
    import yaml

    from playbook_site.clock import today
    from playbook_site.content import load_all
    from playbook_site.site.paths import url_of
    from playbook_site.site.project import ASSETS, FEATURES, OVERRIDES_DIR, PALETTE, SEARCH_SEPARATOR, Options, build_project

    loaded = load_all(project / "content", today=today())
    site = build_project(loaded.playbook, Options(today=today()))
    docs = out / "docs"
    if out.exists():
        shutil.rmtree(out)
    docs.mkdir(parents=True)
    url_to_path = {url_of(path, True): path for path in site.pages}
    published = set(site.exports) | set(ASSETS)
    for path, page in site.pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_plain_markdown(path, page.html, page.hide, url_to_path, published), encoding="utf-8")
    for path, text in site.exports.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for path, source in site.assets.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_name"] = html.unescape(str(site.site_name))  # plain text: MkDocs escapes it itself
    config["plugins"] = [{"search": {"separator": SEARCH_SEPARATOR}}]
    theme = config.setdefault("theme", {"name": "material"})
    theme["custom_dir"] = str(OVERRIDES_DIR)
    theme["features"] = list(dict.fromkeys([*(theme.get("features") or []), *FEATURES]))
    theme["font"] = False
    theme.setdefault("palette", PALETTE)
    config["nav"] = _plain(site.nav())
    config["extra_css"] = [path for path in ASSETS if path.endswith(".css")]
    config["extra_javascript"] = [path for path in ASSETS if path.endswith(".js")]
    config["docs_dir"] = "docs"
    config.pop("site_dir", None)
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out
