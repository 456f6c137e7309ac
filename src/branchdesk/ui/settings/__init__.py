"""设置: the branch, fonts, backups; areas add their own tabs."""
