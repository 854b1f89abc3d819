"""Command line: `python build.py [build|ingest|check|serve|new-entity] …`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .config import SiteConfig, load_config
from .errors import BuildFailed, GlossError, Problems

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
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--no-drafts", action="store_true", help="hide draft articles")

    entity = commands.add_parser("new-entity", help="create an entity file in content/entities/")
    entity.add_argument("name", help='full name, e.g. "Zabihullah Mujahid"')
    entity.add_argument("--type", required=True, help="entity type declared in site.yml (person, organization, place)")
    entity.add_argument("--id", dest="entity_id", help="id (default: made from the name)")
    entity.add_argument("--alias", action="append", default=[], help="another name (repeatable)")
    entity.add_argument("--description", default="", help="one line: who or what it is")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    command = args.command or "build"
    problems = Problems()
    try:
        config = load_config(args.root, problems)
        code = COMMANDS[command](config, args, problems)
    except BuildFailed as failed:
        report(failed.problems)
        print(f"error: build failed with {len(failed.problems.errors)} error(s); "
              "the previous site was left as it was", file=sys.stderr)
        return EXIT_CONTENT
    except GlossError as error:
        report(problems)
        print(error.format(), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("interrupted; the last good site was kept", file=sys.stderr)
        return 130
    return code


def report(problems: Problems) -> None:
    for problem in problems.sorted():
        print(problem.format(), file=sys.stderr)


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
    model = build_site(config, problems, drafts=getattr(args, "drafts", False), workers=getattr(args, "workers", None),
                       search=not getattr(args, "no_search", False))
    for stage in model.stages:
        print(stage.line())
    report(problems)
    print(f"built in {time.perf_counter() - start:.2f} s"
          + (f" with {len(problems.warnings)} warning(s)" if problems.warnings else ""))
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

    load_model(config, problems, drafts=True)
    report(problems)
    errors, warnings = len(problems.errors), len(problems.warnings)
    print(f"check: {errors} error(s), {warnings} warning(s)")
    return EXIT_CONTENT if errors else EXIT_OK


def run_serve(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    from .serve import serve

    return serve(config, host=args.host, port=args.port, open_browser=args.open, drafts=not args.no_drafts)


def run_new_entity(config: SiteConfig, args: argparse.Namespace, problems: Problems) -> int:
    from .content import write_entity_stub

    path = write_entity_stub(config, args.name, args.type, entity_id=args.entity_id,
                             aliases=args.alias, description=args.description)
    print(f"wrote {path}")
    return EXIT_OK


COMMANDS = {"build": run_build, "ingest": run_ingest, "check": run_check, "serve": run_serve,
            "new-entity": run_new_entity}
