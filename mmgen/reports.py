"""A report per candidate, to hand back: ``report/<candidate>.md`` and a self-contained
``report/<candidate>.html`` (inline style, no scripts, nothing fetched), showing per exercise the
points, the flags, each failed check's message, the candidate's code around the lines the
messages point at, and what the candidate's model produced beside what the reference's produced
(pictures in the HTML page as PNG data URIs; their count and texts in the Markdown)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from mmgen import exhibits
from mmgen.output import write_atomically
from mmgen.protocol import Outcome

CONTEXT_LINES = 2
STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
         "pre{background:#f6f6f6;padding:.5em;overflow-x:auto}.pointed{background:#ffe08a}"
         ".flag{color:#a40000}td,th{padding:.2em .6em;text-align:left;vertical-align:top}"
         "img{image-rendering:pixelated;border:1px solid #ccc}figure{margin:0}.note{color:#666;font-size:90%}"
         ".picture{display:inline-block;vertical-align:top;width:90px;margin:2px;font-size:75%}")
PICTURE_PIXELS = 84  # the longer side of a picture on the page
NOTHING_SHOWN = "nothing shown (the check stopped before it)"
SHOWN_NOTE = "shown, not graded: the candidate's pictures come from their own process, which could forge them"


def pointed_lines(slug: str, messages: list[str]) -> list[int]:
    """Line numbers of ``<slug>.py`` that the messages point at ("slug.py, line N")."""
    pattern = re.compile(rf"{re.escape(slug)}\.py, line (\d+)")
    return sorted({int(match) for message in messages for match in pattern.findall(message)})


def excerpts(texts: dict[str, str | None], report: dict) -> dict[str, list[list]]:
    """For each exercise, the candidate's lines (from their answer ``texts`` by slug) around those
    its failed checks point at: ``[line number, text, pointed at]`` rows."""
    found: dict[str, list[list]] = {}
    for exercise in report["exercises"]:
        slug = exercise["slug"]
        pointed = pointed_lines(slug, [c["message"] for c in failed_checks(exercise)] + [exercise["reason"]])
        text = texts.get(slug)
        if text is None:
            continue
        lines = text.splitlines()
        shown = sorted({n for line in pointed for n in range(line - CONTEXT_LINES, line + CONTEXT_LINES + 1)
                        if 1 <= n <= len(lines)})
        if shown:
            found[slug] = [[n, lines[n - 1], n in pointed] for n in shown]
    return found


def failed_checks(exercise: dict) -> list[dict]:
    """The failed checks of an exercise, a hidden check's message replaced (the candidate sees its name only)."""
    return [{**check, "message": "(a hidden check: its message stays with the interviewer)"} if check.get("hidden") else check
            for check in exercise["checks"] if check["outcome"] != Outcome.PASSED]


def shown_pairs(exercise: dict, reference: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """The exhibits of an exercise (none from hidden checks) paired by check and title with the
    reference's: (candidate's or None, reference's or None), the reference's order first."""
    hidden = {check["name"] for check in exercise["checks"] if check.get("hidden")}
    mine = {(shown["check"], shown["title"]): shown for shown in exercise.get("exhibits", []) if shown["check"] not in hidden}
    theirs = {(shown["check"], shown["title"]): shown for shown in reference}
    return [(mine.get(key), theirs.get(key)) for key in dict.fromkeys([*theirs, *mine])]


def exhibit_markdown(who: str, shown: dict | None) -> str:
    """One Markdown line: whose exhibit, its title, how many pictures, and its texts."""
    if shown is None:
        return f"- {who}: {NOTHING_SHOWN}"
    pictures = f"{len(shown['pictures'])} pictures in the HTML report; " if shown["pictures"] else ""
    return f"- {who}, {shown['title']}: {pictures}" + " | ".join(f"`{text}`" for text in shown["texts"])


def exhibit_html(shown: dict | None) -> str:
    """An exhibit as a figure: its title, then its pictures, each above its text when there is one
    text per picture, and any other texts as a list."""
    if shown is None:
        return f"<p class=note>{NOTHING_SHOWN}</p>"
    e, pictures, texts = html.escape, shown["pictures"], shown["texts"]
    captions = texts if len(texts) == len(pictures) else [""] * len(pictures)
    cells = "".join(f"<figure class=picture>{picture_html(picture, n)}<figcaption>{e(caption)}</figcaption></figure>"
                    for n, (picture, caption) in enumerate(zip(pictures, captions)))
    rest = [] if captions is texts else texts
    listed = "<ol>" + "".join(f"<li><code>{e(text)}</code></li>" for text in rest) + "</ol>" if rest else ""
    return f"<figure><figcaption>{e(shown['title'])}</figcaption>{cells}{listed}</figure>"


def picture_html(picture: exhibits.Picture, n: int) -> str:
    """An ``<img>`` of a picture, its longer side about :data:`PICTURE_PIXELS` (whole pixels, drawn sharp)."""
    scale = max(1, PICTURE_PIXELS // max(len(picture), len(picture[0])))
    return f"<img alt='picture {n + 1}' src='{exhibits.data_uri(picture)}' width={len(picture[0]) * scale} height={len(picture) * scale}>"


def markdown(name: str, entry: dict, reference: dict[str, list[dict]]) -> str:
    """The report as Markdown (``reference``: the reference's exhibits by slug)."""
    report = entry["report"]
    lines = [f"# {name}: {report['points']}/{report['max_points']} points", ""]
    for exercise in report["exercises"]:
        lines += [f"## {exercise['slug']}: {exercise['points']}/{exercise['max_points']} ({exercise['status']})", ""]
        if exercise["reason"]:
            lines += [exercise["reason"], ""]
        lines += [f"- **flag:** {flag}" for flag in exercise["flags"]]
        lines += [f"- `{check['name']}`: {check['message']}" for check in failed_checks(exercise)]
        rows = entry.get("excerpts", {}).get(exercise["slug"], [])
        if rows:
            fence = "`" * max(3, 1 + max(len(run) for _, text, _ in rows for run in re.findall("`+", text) or [""]))
            lines += ["", fence, *(f"{'>>' if pointed else '  '} {n:4d}  {text}" for n, text, pointed in rows), fence]
        pairs = shown_pairs(exercise, reference.get(exercise["slug"], []))
        if pairs:
            lines += ["", f"What the model produced ({SHOWN_NOTE}):"]
            lines += [line for mine, theirs in pairs for line in (exhibit_markdown("candidate", mine), exhibit_markdown("reference", theirs))]
        lines.append("")
    return "\n".join(lines)


def html_page(name: str, entry: dict, reference: dict[str, list[dict]]) -> str:
    """The report as one self-contained HTML page (``reference``: the reference's exhibits by slug)."""
    report, e = entry["report"], html.escape
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(name)}</title><style>{STYLE}</style></head><body>",
             f"<h1>{e(name)}: {report['points']}/{report['max_points']} points</h1><table><tr><th>exercise</th><th>points</th>"
             "<th>status</th></tr>"]
    parts += [f"<tr><td>{e(x['slug'])}</td><td>{x['points']}/{x['max_points']}</td><td>{e(x['status'])}</td></tr>"
              for x in report["exercises"]]
    parts.append("</table>")
    for exercise in report["exercises"]:
        parts.append(f"<h2>{e(exercise['slug'])}: {exercise['points']}/{exercise['max_points']} ({e(exercise['status'])})</h2>")
        if exercise["reason"]:
            parts.append(f"<p>{e(exercise['reason'])}</p>")
        items = [f"<li class='flag'>flag: {e(flag)}</li>" for flag in exercise["flags"]]
        items += [f"<li><code>{e(check['name'])}</code>: {e(check['message'])}</li>" for check in failed_checks(exercise)]
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
        rows = entry.get("excerpts", {}).get(exercise["slug"], [])
        if rows:
            code = "".join(f"<span{' class=pointed' if pointed else ''}>{n:4d}  {e(text)}</span>\n" for n, text, pointed in rows)
            parts.append(f"<pre>{code}</pre>")
        pairs = shown_pairs(exercise, reference.get(exercise["slug"], []))
        if pairs:
            parts.append(f"<h3>What the model produced</h3><p class=note>{e(SHOWN_NOTE)}</p>"
                         "<table><tr><th>candidate</th><th>reference</th></tr>"
                         + "".join(f"<tr><td>{exhibit_html(mine)}</td><td>{exhibit_html(theirs)}</td></tr>" for mine, theirs in pairs)
                         + "</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_all(book: dict, folder: Path) -> None:
    """``<candidate>.md`` and ``<candidate>.html`` for every candidate of the gradebook."""
    folder.mkdir(parents=True, exist_ok=True)
    reference = book.get("reference_exhibits", {})  # absent from gradebooks written before exhibits
    for name, entry in book["candidates"].items():
        write_atomically(folder / f"{name}.md", markdown(name, entry, reference))
        write_atomically(folder / f"{name}.html", html_page(name, entry, reference))
