"""The librarian's catalogue screens, under /catalogue/:

- `records`      search, copy cataloguing by ISBN, a record's page, adding copies, new and edit
- `copies`       a copy's edit form, the acquisition batches
- `copy_list`    the school's copies: filtered, in pages, by registration number
- `collections`  the school's collections and numbering sequences
- `withdrawals`  the withdrawal lists: proposed by the library, approved by the principal
- `province`     the province's call-number rule and SRU targets (kept by the department)
- `external`     searching an SRU target and copying a record from it
- `resources`    a record's digital resources: upload or link, download, removal
"""
