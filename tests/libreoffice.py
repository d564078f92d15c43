"""LibreOffice, driven headless, as an editor: types into cells as a person does, sorts rows,
saves the workbook. Tests that need it skip when it is not installed (CI does not need it).

Typing goes through the dispatcher (`.uno:EnterString`, what the input line does), so the
cell's number format decides what the text becomes, as it does for a person: `007` typed into
a Text column stays `007`, into a General column becomes 7. (`XCell.setFormula` ignores the
format, so it would not show what an editor gets.)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice")


def _uno_python() -> str | None:
    """A Python that can import LibreOffice's `uno` module (the system's, as Debian ships it)."""
    if SOFFICE is None:
        return None
    for candidate in ("/usr/bin/python3", "/usr/lib/libreoffice/program/python"):
        if not os.access(candidate, os.X_OK):
            continue
        probe = subprocess.run(
            [candidate, "-c", "import uno"], capture_output=True, timeout=60, check=False
        )
        if probe.returncode == 0:
            return candidate
    return None


UNO_PYTHON = _uno_python()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
needs_uno = pytest.mark.skipif(
    UNO_PYTHON is None, reason="LibreOffice or its Python bridge (python3-uno) is not installed"
)

_EDITOR = r"""
import json, sys, time
import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


pipe, src, dst, actions = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
deadline = time.monotonic() + 120
while True:
    try:
        ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        break
    except Exception:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.2)
smgr = ctx.ServiceManager
desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
sheet = doc.Sheets.getByIndex(0)
frame = doc.getCurrentController().getFrame()
dispatch = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
typed = []
for action in actions:
    if "type" in action:
        ref, text = action["type"], action["text"]
        dispatch.executeDispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", ref),))
        dispatch.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
        cell = sheet.getCellRangeByName(ref)
        typed.append({"cell": ref, "text": text, "type": cell.getType().value,
                      "string": cell.getString(), "value": cell.getValue()})
    elif "sort" in action:
        field = uno.createUnoStruct("com.sun.star.table.TableSortField")
        field.Field, field.IsAscending = action["column"], not action["descending"]
        fields = uno.Any("[]com.sun.star.table.TableSortField", (field,))
        descriptor = (prop("SortFields", fields), prop("ContainsHeader", False))
        uno.invoke(sheet.getCellRangeByName(action["sort"]), "sort", (descriptor,))
doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "Calc MS Excel 2007 XML"),))
doc.close(True)
print(json.dumps(typed))
sys.stdout.flush()
try:
    desktop.terminate()
except Exception:
    pass  # the bridge closes as LibreOffice quits
"""


def edit(src: Path, dst: Path, actions: list[dict[str, object]], work: Path) -> list[dict]:
    """Open `src` in LibreOffice, apply `actions` (`{"type": "A20", "text": "007"}`,
    `{"sort": "A2:S15", "column": 0, "descending": True}`), save as `dst` (xlsx). Returns what
    each typed cell became (`type`: TEXT, VALUE, FORMULA; `string`; `value`)."""
    assert SOFFICE is not None and UNO_PYTHON is not None
    pipe = f"toolkit{os.getpid()}{time.monotonic_ns()}"
    script = work / "editor.py"
    script.write_text(_EDITOR, encoding="utf-8")
    office = subprocess.Popen(
        [SOFFICE, f"-env:UserInstallation=file://{work}/profile", "--headless", "--invisible",
         "--norestore", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        done = subprocess.run(
            [UNO_PYTHON, str(script), pipe, str(src), str(dst), json.dumps(actions)],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        with contextlib.suppress(subprocess.TimeoutExpired):
            office.wait(timeout=60)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(office.pid, signal.SIGKILL)  # soffice.bin is a child of the launcher
        office.wait(timeout=60)


def convert(src: Path, to: str, outdir: Path, work: Path, infilter: str | None = None) -> Path:
    """`soffice --convert-to` (e.g. `xlsx`, or a CSV filter string); returns the new file."""
    assert SOFFICE is not None
    command = [SOFFICE, f"-env:UserInstallation=file://{work}/profile", "--headless"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", to, str(src), "--outdir", str(outdir)]
    subprocess.run(command, capture_output=True, timeout=600, check=True)
    made = sorted(outdir.glob(f"{src.stem}*"), key=lambda p: p.stat().st_mtime)
    assert made, f"LibreOffice wrote nothing for {src}"
    return made[-1]
