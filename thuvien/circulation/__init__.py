"""The library's services at the desk: readers, loan rules, the calendar, loans and returns."""
