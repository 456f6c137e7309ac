"""How branchdesk-cli ends: every problem becomes one Chinese sentence and an exit code.

    0  done
    1  the input or the book stops the command (bad file, bad date, book damaged, busy,
       disk full, read-only …); the message says what and where
    2  the command line itself is wrong (usage)
    3  a bug in branchdesk — not the user's fault; logged to the data folder's logs/
  130  interrupted (Ctrl+C)

No traceback ever reaches the user. Nothing is reported as done before it is committed,
and a failure after the commit (closing the book on a full disk) does not undo "done".
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130

log = logging.getLogger("branchdesk.cli")


class CliError(Exception):
    """Bad input or an unhealthy book: exit 1 with this message.

    Defined here, not in cli.py: run as ``python -m branchdesk.cli`` that module is
    ``__main__``, and a class defined there would not be the one the commands raise."""


def tolerant_streams() -> None:
    """A file name with undecodable bytes or a lone surrogate must not crash a print."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _input_errors() -> tuple[type[BaseException], ...]:
    from branchdesk.domain.dates import DateParseError
    from branchdesk.exchange.meeting_json import MeetingJsonError
    from branchdesk.exchange.roster_xlsx import RosterFormatError
    from branchdesk.store import BookError, InputError

    found: list[type[BaseException]] = [
        CliError, BookError, InputError, DateParseError, MeetingJsonError, RosterFormatError,
        FileExistsError,
    ]  # fmt: skip
    try:
        from branchdesk.printing.document import FormLayoutError
        from branchdesk.printing.fonts import MissingGlyphError

        found += [MissingGlyphError, FormLayoutError]
    except ImportError:  # pragma: no cover
        pass
    return tuple(found)


def message_for(exc: BaseException, folder: Path | None = None) -> str | None:
    """The user's message for an expected failure; None when ``exc`` is a bug."""
    from branchdesk.store.sqlerrors import environment_message

    if isinstance(exc, _input_errors()):
        return str(exc)
    if isinstance(exc, UnicodeEncodeError) and "surrogate" in str(exc.reason):
        return (
            "输入中含有无法保存的字符（孤立的代理项，常见于损坏或拼接出错的文字），请删除后重试。"
        )
    if isinstance(exc, MemoryError):
        return "内存不足，无法完成。请关闭其他程序后重试，或检查所选文件是否过大。"
    return environment_message(exc, folder)


def run_reporting(command: Callable[[], int], book_path: Path | None) -> int:
    try:
        return command()
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        message = message_for(exc, book_path.parent if book_path else None)
        if message is not None:
            print(f"错误：{message}", file=sys.stderr)
            return EXIT_INPUT
        where = _log_bug(exc, book_path)
        print(
            "程序内部错误（不是您的输入或账簿的问题）。这次操作没有显示“已……”就没有完成；"
            f"已经保存的记录不受影响。{where}请把日志发给维护人员。",
            file=sys.stderr,
        )
        return EXIT_BUG


def _log_bug(exc: BaseException, book_path: Path | None) -> str:
    from branchdesk.logfiles import describe_failure, file_handler
    from branchdesk.paths import data_dir, log_dir

    folders = [log_dir(book_path)] if book_path is not None else []
    folders.append(data_dir() / "logs")
    for folder in folders:
        try:
            handler = file_handler(folder)
        except OSError:
            continue
        log.addHandler(handler)
        try:
            log.error("程序内部错误：\n%s", describe_failure(type(exc), exc, exc.__traceback__))
        finally:
            log.removeHandler(handler)
            handler.close()
        return f"详细情况已记录到 {handler.baseFilename}。"
    return "（日志无法写入。）"
