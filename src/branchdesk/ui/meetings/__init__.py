"""会议记录 pages, the meeting form and its parts."""
