"""Command line: `python build.py [build|ingest|check|serve|new-entity|entities|review|merge|rename|retype|unlink|
split|confirm|not-entity|annotate] …`."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import os
import shlex
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from . import __version__
from .config import SiteConfig, load_config
from .errors import BuildFailed, GlossError, Problems
from .journal import changing_content, recover
from .output import SiteMixed
from .words import counted

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Gloss: build a site of annotated articles.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current folder)")
    parser.add_argument("--version", action="version", version=f"gloss {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="ingest new seeds, then build the site into _site/ (default)")
    build.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    build.add_argument("--no-ingest", action="store_true", help="do not ingest new seeds first")
    build.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    build.add_argument("--workers", type=int, default=None, help="processes for parsing and rendering (default: cores)")

    ingest = commands.add_parser("ingest", help="turn seeds into annotated articles in content/")
    ingest.add_argument("seeds", nargs="*", type=Path, metavar="SEED", help="seed files (default: all new ones)")
    ingest.add_argument("--force", action="store_true", help="overwrite articles even if edited by hand")

    commands.add_parser("check", help="report every problem in content/ and site.yml; exit 1 if any error")

    serve = commands.add_parser("serve", help="build, serve on localhost and rebuild on changes")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8000, help="port (default 8000; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--no-drafts", action="store_true", help="hide draft articles")
    serve.add_argument("--poll", action="store_true",
                       help="look for changes by polling, where file events do not arrive (network or shared folders)")

    entity = commands.add_parser("new-entity", help="create an entity file in content/entities/")
    entity.add_argument("name", help='full name, e.g. "Zabihullah Mujahid"')
    entity.add_argument("--type", required=True, help="entity type declared in site.yml (person, organization, place)")
    entity.add_argument("--id", dest="entity_id", help="id (default: made from the name)")
    entity.add_argument("--alias", action="append", default=[], help="another name (repeatable)")
    entity.add_argument("--description", default="", help="one line: who or what it is")
    _review_parsers(commands)
    return parser


def port_number(text: str) -> int:
    """A TCP port, 0 to 65535 (argparse turns the refusal into a usage error, exit 2)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number: use 0 to 65535 (0 picks a free one)")
    return port


def _review_parsers(commands: argparse._SubParsersAction) -> None:
    """Commands an editor uses to review what ingest made (gloss/review.py)."""
    entities = commands.add_parser("entities", help="list entities with their mention counts and articles")
    entities.add_argument("--type", dest="entity_type", help="only entities of this type")
    entities.add_argument("--sort", choices=("name", "mentions"), default="name", help="order (default: name)")

    review = commands.add_parser("review", help="list what ingest guessed that most needs a person, with the "
                                                "commands that fix each item")
    review.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    review.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N items")

    add_fix_parsers(commands)  # merge, rename, retype, unlink, split, confirm, not-entity

    annotate = commands.add_parser("annotate", help="print the mentions ingest would make in a text file")
    annotate.add_argument("file", type=Path, metavar="FILE", help="a UTF-8 text file")
    annotate.add_argument("--format", choices=("json", "text"), default="json", help="output format (default: json)")
    annotate.add_argument("--no-registry", action="store_true", help="ignore content/entities (a cold start)")


def add_fix_parsers(commands: argparse._SubParsersAction) -> None:
    """The fix commands, for build.py and for `run_fix` alike."""
    merge = commands.add_parser("merge", help="make OLD part of NEW: rewrite its mentions, move its names, delete it")
    merge.add_argument("old", metavar="OLD", help="id of the entity to merge away")
    merge.add_argument("new", metavar="NEW", help="id of the entity to keep")

    rename = commands.add_parser("rename", help="change an entity's id everywhere")
    rename.add_argument("old", metavar="OLD", help="current id")
    rename.add_argument("new", metavar="NEW", help="new id (lowercase letters, digits, hyphens)")

    retype = commands.add_parser("retype", help="set an entity's type and mark it confirmed")
    retype.add_argument("id", metavar="ID", help="entity id")
    retype.add_argument("type", metavar="TYPE", help="a type declared in site.yml (person, organization, place)")

    unlink = commands.add_parser("unlink", help="turn an entity's mentions back into plain text; its file goes "
                                                "once nothing mentions it")
    unlink.add_argument("id", metavar="ID", help="entity id")
    unlink.add_argument("--in", dest="article", metavar="ARTICLE", help="only in this article (its slug)")
    unlink.add_argument("--text", metavar="TEXT", help="only mentions showing this text")
    unlink.add_argument("--line", dest="lines", metavar="N", type=int, action="append",
                        help="only the mention on line N of the article's file (with --in; may be repeated)")

    split = commands.add_parser("split", help="move an entity's mentions in one article to another entity")
    split.add_argument("id", metavar="ID", help="entity id")
    split.add_argument("--in", dest="article", metavar="ARTICLE", required=True, help="the article (its slug)")
    split.add_argument("--as", dest="new", metavar="NEW", required=True,
                       help="id of the entity the mentions move to (made if it does not exist)")
    split.add_argument("--name", help="the new entity's name (default: made from its id)")
    split.add_argument("--type", dest="entity_type", metavar="TYPE", help="the new entity's type (default: ID's)")
    split.add_argument("--line", dest="lines", metavar="N", type=int, action="append",
                       help="only the mention on line N of the article's file (may be repeated)")

    confirm = commands.add_parser("confirm", help="vouch for entities as they are: the review queue and ingest "
                                                  "leave them alone")
    confirm.add_argument("ids", nargs="+", metavar="ID", help="entity id")

    reject = commands.add_parser("not-entity", help="unlink every mention showing NAME and never link it again "
                                                    "(kept in content/rejected.yml)")
    reject.add_argument("name", metavar="NAME", help='the name, e.g. "World Cup" (quoted if it has spaces)')


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that a build stopped by a service manager cleans up the same way."""


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """While the command runs, SIGTERM raises Terminated in this process (worker processes just stop)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    main_pid = os.getpid()

    def on_sigterm(signum: int, frame: object) -> None:
        if os.getpid() != main_pid:  # a forked worker: die as it would have, its parent cleans up
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    command = args.command or "build"
    if not args.root.is_dir():
        print(f"{args.root}: error: no such project folder", file=sys.stderr)
        print("    hint: give the folder that holds site.yml and content/ with --root, or run from it",
              file=sys.stderr)
        return EXIT_USAGE
    problems = Problems()
    try:
        with sigterm_interrupts():
            config = load_config(args.root, problems)
            repaired = recover(config)  # a change to content/ an earlier command left half made
            if repaired is not None:
                print(repaired.format(), file=sys.stderr)
            code = COMMANDS[command](config, args, problems)
    except BuildFailed as failed:
        report(failed.problems)
        print(f"error: build failed with {counted(len(failed.problems.errors), 'error')}; "
              "the previous site was left as it was", file=sys.stderr)
        return EXIT_CONTENT
    except GlossError as error:
        report(problems)
        print(error.format(), file=sys.stderr)
        if site_updated(error) and not isinstance(error, SiteMixed):
            print(f"note: {UPDATED}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as error:  # the disk is full, a file stands where a folder must go…
        report(problems)
        print(system_error(error, args.root, outcome(command, error)).format(), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt as stop:  # a note, if any, says what became of content/ (gloss/journal.py)
        notes = getattr(stop, "__notes__", None)
        print(f"interrupted; {notes[-1] if notes else outcome(command, stop) or 'nothing was changed'}",
              file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130
    return code


# What a build that stopped after writing its pages says instead of "the last good site was kept".
UPDATED = "the new pages were already written; the search index is brought up to date by the next build"


def site_updated(error: BaseException) -> bool:
    """Whether the build had changed the output folder when `error` stopped it (SiteBuilder.build)."""
    return getattr(error, "site_updated", False)


def outcome(command: str, error: BaseException) -> str | None:
    """What a command stopped by `error` left as it was, for its message; None for one that writes nothing.
    A change to content/ is all or none (gloss/journal.py), and one stopped half-way says so itself."""
    if command in ("ingest", "new-entity", *FIXES):
        return "content/ was left as it was"
    if command in ("build", "serve"):
        return UPDATED if site_updated(error) else "the last good site was kept"
    return None


# What a build made, kept alive until the process ends when run from build.py (see run_command_line);
# None when main() is called from Python, which goes on after it returns.
_kept_until_exit: list | None = None


def run_command_line(argv: list[str] | None = None) -> NoReturn:
    """build.py's entry point. Freeing a 10,000-article build's objects one by one took 0.17 s after
    its work was done, just before the system takes back all the memory at once: so the build's model
    is kept to the end, and the process leaves with os._exit once its output is flushed."""
    global _kept_until_exit
    _kept_until_exit = []
    code = main(argv)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (`| head`) has all it wanted
            stream.flush()
    os._exit(code)


# What to do about what the system refused, by errno: a full disk and a missing permission need
# different hands.
_SYSTEM_HINTS = {
    errno.ENOSPC: "the disk is full: free some space",
    errno.EDQUOT: "your disk quota is used up: free some space",
    errno.EACCES: "you may not read or write this path: check its permissions (ls -l) and its owner",
    errno.EPERM: "this is not allowed on this path: check its permissions (ls -l) and its owner",
    errno.EROFS: "this file system is read-only: use a folder on a writable disk",
    errno.ENOENT: "it is not there: was it moved or deleted while the command ran?",
    errno.EEXIST: "a file stands where a folder must go (or the other way round): move it out of the way",
    errno.ENOTDIR: "a file stands where a folder must go: move it out of the way",
    errno.EISDIR: "a folder stands where a file must go: move it out of the way",
    errno.EMFILE: "too many files are open: close some programs, or raise the limit (ulimit -n)",
    errno.ENFILE: "too many files are open on this system: close some programs",
    errno.ENAMETOOLONG: "the name is too long for this file system: use a shorter one",
    errno.EIO: "the disk reported a read or write error: check it",
    errno.EFBIG: "the file is larger than this system lets a program write (a quota or a limit, ulimit -f)",
    errno.ELOOP: "symbolic links point round in a circle here: fix or remove them",
}


def system_error(error: OSError, root: Path | None = None, outcome: str | None = None) -> GlossError:
    """What the operating system refused, as the one error type the command line reports: at the
    path it names (else the project folder), with the hint that fits the reason, and what the
    command left as it was (`outcome`)."""
    path = error.filename if error.filename is not None else error.filename2
    reason = error.strerror or str(error) or type(error).__name__
    message = f"the system refused this path: {reason}" if path is not None else f"the system refused: {reason}"
    hint = _SYSTEM_HINTS.get(error.errno, "check the disk and what is in the way of this path")
    return GlossError(message, path if path is not None else root,
                      hint=f"{hint}; then run the command again" + (f" ({outcome})" if outcome else ""))


SHOWN_PER_FILE = 20  # a file of 40,000 broken mentions would print 7 MB: its first problems say what is wrong


def report(problems: Problems) -> None:
    """Every problem, in file and line order, but at most SHOWN_PER_FILE of one file."""
    by_file: dict[str | None, int] = {}
    for problem in problems.sorted():
        shown = by_file[problem.path] = by_file.get(problem.path, 0) + 1
        if shown <= SHOWN_PER_FILE:
            print(problem.format(), file=sys.stderr)
    for path, count in by_file.items():
        if count > SHOWN_PER_FILE:
            more = counted(count - SHOWN_PER_FILE, "more problem")
            print(f"{path or '<gloss>'}: {more} in this file, not shown\n"
                  f"    hint: fix the first {SHOWN_PER_FILE} and run `build.py check` again", file=sys.stderr)


def run_build(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    from .builder import build_site

    start = time.perf_counter()
    if not getattr(args, "no_ingest", False) and config.seeds_dir.is_dir():
        from .ingest import ingest_seeds

        ingest_start = time.perf_counter()
        result = ingest_seeds(config)
        print(f"{'ingest':<8} {result.summary():<52} {(time.perf_counter() - ingest_start) * 1000:7.0f} ms")
        for path, why in result.refused:
            problems.warn(why, path)
        if result.written:  # what the editor should look at in the new articles
            problems.items.extend(result.review)
    # The builder turns the cycle collector off while it works. Turned straight back on, its next pass
    # would walk every object the build made (0.4 s at 10,000 articles) just before the process exits:
    # they are frozen first, out of its sight (they are still freed when no longer referenced).
    collecting = gc.isenabled()
    gc.disable()
    try:
        model = build_site(config, problems, drafts=getattr(args, "drafts", False),
                           workers=getattr(args, "workers", None), search=not getattr(args, "no_search", False))
    finally:
        if collecting:
            gc.freeze()
            gc.enable()
    if _kept_until_exit is not None:
        _kept_until_exit.append(model)
    for stage in model.stages:
        print(stage.line())
    report(problems)
    print(f"built in {time.perf_counter() - start:.2f} s"
          + (f" with {counted(len(problems.warnings), 'warning')}" if problems.warnings else ""))
    return EXIT_OK


def run_ingest(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    from .ingest import ingest_seeds

    seeds = [s if s.is_absolute() else (Path.cwd() / s) for s in args.seeds] or None
    for seed in seeds or []:
        if not seed.is_file():
            raise GlossError("no such seed file", seed, hint="give the path of a .txt or .md file in seeds/")
    result = ingest_seeds(config, seeds, force=args.force)
    for path in result.written:
        print(f"wrote {path}")
    for path in result.new_entities:
        print(f"new entity {path}")
    for path in result.updated_entities:
        print(f"added aliases to {path}")
    for path in result.proposals:
        print(f"proposal {path}")
    for path, why in result.refused:
        print(f"{path}: refused: {why}", file=sys.stderr)
    for problem in result.review:
        print(problem.format(), file=sys.stderr)
    report(problems)
    print(result.summary())
    return EXIT_CONTENT if result.refused else EXIT_OK


def run_check(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    from .builder import load_model
    from .rejected import rejected_mentions
    from .reviewqueue import build_queue, summary_line

    model = load_model(config, problems, drafts=True)
    try:
        problems.items.extend(rejected_mentions(config, model.graph.documents, model.articles))
    except GlossError as error:
        problems.add(error)
    report(problems)
    errors, warnings = len(problems.errors), len(problems.warnings)
    print(f"check: {counted(errors, 'error')}, {counted(warnings, 'warning')}")
    print(summary_line(build_queue(config, model)))
    return EXIT_CONTENT if errors else EXIT_OK


def run_serve(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    from .serve import serve

    return serve(config, host=args.host, port=args.port, open_browser=args.open, drafts=not args.no_drafts,
                 poll=args.poll)


def run_new_entity(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    from .content import write_entity_stub

    with changing_content(config):
        path = write_entity_stub(config, args.name, args.type, entity_id=args.entity_id,
                                 aliases=args.alias, description=args.description)
    print(f"wrote {path}")
    return EXIT_OK


def run_entities(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    from .review import entity_rows, format_rows

    if args.entity_type and args.entity_type not in config.type_ids():
        raise GlossError(f"entity type '{args.entity_type}' is not declared in site.yml", "site.yml",
                         hint=f"use one of: {', '.join(config.type_ids())}")
    rows, found = entity_rows(config, args.entity_type, args.sort)
    print(format_rows(rows))
    print(f"{counted(len(rows), 'entity', 'entities')}, {counted(sum(r.mentions for r in rows), 'mention')}")
    if found.errors:
        print(f"{counted(len(found.errors), 'error')} in content/: run `python build.py check` to see them",
              file=sys.stderr)
    return EXIT_OK


def run_fix(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    """merge, rename, retype, unlink, split, confirm, not-entity: planned in full, then written all or nothing."""
    from .fixes import plan_fix
    from .review import apply

    words = sys.argv[sys.argv.index(args.command):] if args.command in sys.argv else [args.command]
    with changing_content(config):
        plan = plan_fix(config, args)
        apply(config, plan, shlex.join(words))
    print(plan.summary)
    return EXIT_OK


def run_review(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    import json

    from .builder import load_model
    from .reviewqueue import build_queue, format_queue, queue_json

    if args.limit is not None and args.limit < 0:
        raise GlossError("--limit must be 0 or more", None, hint="e.g. --limit 20")
    found = Problems()
    items = build_queue(config, load_model(config, found, drafts=True))
    shown = items if args.limit is None else items[:args.limit]
    if args.format == "json":
        print(json.dumps(queue_json(shown), ensure_ascii=False, indent=1))
    else:
        print(format_queue(shown, len(items)))
    if found.errors:
        print(f"{counted(len(found.errors), 'error')} in content/: run `python build.py check` to see them",
              file=sys.stderr)
    return EXIT_OK


def run_annotate(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    import json

    from .ingest import annotate_file

    mentions = annotate_file(config, args.file, use_registry=not args.no_registry)
    if args.format == "json":
        print(json.dumps({"mentions": mentions}, ensure_ascii=False))
    else:
        for m in mentions:
            print(f"{m['start']}\t{m['end']}\t{m['type']}\t{m['entity']}\t{m['text']}")
    return EXIT_OK


FIXES = ("merge", "rename", "retype", "unlink", "split", "confirm", "not-entity")
COMMANDS = {"build": run_build, "ingest": run_ingest, "check": run_check, "serve": run_serve,
            "new-entity": run_new_entity, "entities": run_entities, "annotate": run_annotate, "review": run_review,
            **dict.fromkeys(FIXES, run_fix)}
