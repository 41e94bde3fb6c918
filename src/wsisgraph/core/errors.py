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
