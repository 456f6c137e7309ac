"""branchdesk — 党支部工作台: the offline record book of a Party branch secretary."""

__version__ = "0.1.0"
APP_NAME = "branchdesk"
APP_TITLE = "党支部工作台"
