"""Errors a user can fix. The CLI prints them as one line and exits non-zero, never a traceback."""


class WsisgraphError(Exception):
    """A user-facing failure; `exit_code` is what the command exits with."""

    exit_code = 2


class InputError(WsisgraphError):
    """An input file that cannot be read. Its message starts with `path:line[:col]:`."""

    def __init__(self, path: str, line: int | None, message: str, column: int | None = None):
        where = str(path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line
        self.column = column

    @classmethod
    def from_syntax(cls, path: str, exc: SyntaxError) -> "InputError":
        """pyoxigraph's SyntaxError on a file as `path:line:col: message`, without its "Parser error
        at ...:" preamble (the position is already in front). The one place parse errors are worded."""
        message = exc.msg.split(": ", 1)[-1] if exc.msg.startswith("Parser error") else exc.msg
        return cls(str(path), exc.lineno, message, exc.offset)
