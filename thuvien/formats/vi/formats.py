"""Vietnamese formats, as a Vietnamese school office writes them: 15.067 (a dot between thousands),
33,3 (a decimal comma), 05/09/2025 (day/month/year, with leading zeros), 14:30.

Django's own `vi` formats lack the grouping (`NUMBER_GROUPING` 0: no dot between thousands, even
with `intcomma`) and write dates as "Ngày 5 tháng 9 năm 2025" or "05-09-2025". Grouping applies
where a template asks for it (`intcomma`, `floatformat:"g"`, our `number` and `percent`
filters): `USE_THOUSAND_SEPARATOR` stays off, so that a school year or an id is never "2.025".
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
