"""The one error of the backup package: its message says what went wrong and what to do."""


class BackupError(Exception):
    pass
