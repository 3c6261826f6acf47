"""The console script leaves without the interpreter's teardown, and loses nothing by it:
exit status, every byte of output, exit handlers and other threads' work."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_activities" / "overstrider.fit"
#: the installed console script, next to this interpreter (scripts/test installs it)
SCRIPT = Path(sys.executable).with_name("footfall")


def python(code: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, check=False)


def test_leave_keeps_the_status_the_output_and_the_exit_handlers(tmp_path: Path) -> None:
    marker = tmp_path / "handler-ran"
    code = (
        "import atexit, sys\n"
        "from pathlib import Path\n"
        "from footfall.cli.process_exit import leave\n"
        f"atexit.register(lambda: Path({str(marker)!r}).write_text('ran'))\n"
        "sys.stdout.write('x' * 1_000_000)  # buffered, no newline: only a flush writes it\n"
        "sys.stderr.write('last words')\n"
        "leave(3)\n"
    )
    done = python(code)
    assert done.returncode == 3
    assert done.stdout == b"x" * 1_000_000
    assert done.stderr == b"last words"
    assert marker.read_text() == "ran"


def test_a_running_thread_gets_python_s_own_exit(tmp_path: Path) -> None:
    marker = tmp_path / "thread-finished"
    code = (
        "import threading, time\n"
        "from pathlib import Path\n"
        "from footfall.cli.process_exit import leave\n"
        "def work():\n"
        "    time.sleep(0.3)\n"
        f"    Path({str(marker)!r}).write_text('done')\n"
        "threading.Thread(target=work).start()\n"
        "leave(1)\n"
    )
    done = python(code)
    assert done.returncode == 1
    assert marker.read_text() == "done"  # waited for, as Python's exit does


def test_a_temporary_folder_is_still_removed(tmp_path: Path) -> None:
    """TemporaryDirectory's clean-up at exit is one of the handlers leave() runs."""
    code = (
        "import tempfile\n"
        "from footfall.cli.process_exit import leave\n"
        f"held = tempfile.TemporaryDirectory(dir={str(tmp_path)!r})\n"
        "print(held.name)\n"
        "leave(0)\n"
    )
    done = python(code)
    assert done.returncode == 0
    assert not Path(done.stdout.decode().strip()).exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not SCRIPT.exists(), reason=f"no console script at {SCRIPT}")
def test_the_console_script_prints_what_main_prints(tmp_path: Path) -> None:
    args = ["analyze", str(SAMPLE), "--format", "json"]
    script = subprocess.run([str(SCRIPT), *args], capture_output=True, check=False)
    in_main = python("from footfall.cli import main; main()", *args)
    assert script.returncode == in_main.returncode == 0
    assert script.stdout == in_main.stdout
    assert json.loads(script.stdout)["summary"]["verdict"]["detector"] is not None


@pytest.mark.skipif(not SCRIPT.exists(), reason=f"no console script at {SCRIPT}")
def test_the_console_script_keeps_every_exit_status(tmp_path: Path) -> None:
    missing = subprocess.run(
        [str(SCRIPT), "analyze", str(tmp_path / "nope.fit")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert missing.stderr == f"footfall: {tmp_path / 'nope.fit'}: file not found\n"
    usage = subprocess.run(
        [str(SCRIPT), "analyze", "--height", "nan", str(SAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert usage.returncode == 2 and len(usage.stderr.splitlines()) == 1
    bad = tmp_path / "bad.fit"
    bad.write_bytes(b"not a fit file")
    some_failed = subprocess.run(
        [
            str(SCRIPT),
            "analyze",
            str(SAMPLE),
            str(bad),
            "--format",
            "json",
            "--output",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert some_failed.returncode == 1


@pytest.mark.skipif(not SCRIPT.exists(), reason=f"no console script at {SCRIPT}")
def test_reports_written_by_the_console_script_are_whole(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    done = subprocess.run(
        [str(SCRIPT), "analyze", str(SAMPLE), "--output", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    page = out / "overstrider.html"
    assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert str(page) in done.stdout


def test_python_dash_m_footfall_is_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "footfall", "--version"], capture_output=True, text=True, check=False
    )
    from importlib.metadata import version

    assert done.returncode == 0
    assert done.stdout == version("footfall") + "\n"
