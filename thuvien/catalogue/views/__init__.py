"""The librarian's catalogue screens, under /catalogue/:

- `records`      search, copy cataloguing by ISBN, a record's page, adding copies, new and edit
- `withdrawals`  the withdrawal lists: proposed by the library, approved by the principal
"""
