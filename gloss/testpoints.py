"""Named points where a test can hold a build, so that it acts while the build is provably there.

`GLOSS_TEST_PAUSE=<point>:<file>` makes each process of a build (the builder or a render worker)
that reaches `<point>` wait there until `<file>` exists. A test that must interrupt, kill or race a
running build sets it, waits for the state the point implies, acts, and then creates the file (or
never does). Unset, a point costs one look-up in the environment. The first process to wait there
makes `<file>.waiting`: the state to wait for where the point leaves no other trace.

Points:
- "render": a batch of pages was rendered and stored (in a full build, written into the temporary
  output folder; in an incremental one, kept for writing once all are rendered); the build has not
  finished and cannot until the file appears.
- "search": Pagefind was started on the written pages; the build waits for it only once the file
  appears.
"""

from __future__ import annotations

import os
import time

PAUSE_ENV = "GLOSS_TEST_PAUSE"
BUILDER_PID = os.getpid()  # the process that imported this: render workers forked from it keep the number


def pause(point: str) -> None:
    """Wait here while GLOSS_TEST_PAUSE names this point and its file is missing. A render worker
    whose builder is gone (killed) stops at once instead of rendering on for nobody."""
    setting = os.environ.get(PAUSE_ENV)
    if not setting:
        return
    name, _, release = setting.partition(":")
    if name != point:
        return
    if not os.path.exists(release):
        with open(f"{release}.waiting", "a"):
            pass
    while not os.path.exists(release):
        if os.getpid() != BUILDER_PID and os.getppid() != BUILDER_PID:
            os._exit(1)
        time.sleep(0.01)
