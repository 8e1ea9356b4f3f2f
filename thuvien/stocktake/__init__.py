"""Stocktake (kiểm kê): a school's copies counted by scanning, for the whole school, a collection
or a shelf; its outcome (missing, misplaced, unexpected, on loan), applied with the principal's
approval."""
