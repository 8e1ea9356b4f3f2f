"""MARC21 records in and out of the union catalogue: read (ISO 2709 and MARCXML), import into a
school's catalogue, and write (ISO 2709 and MARCXML). See `writer` for the local field 991 and
the 852 holdings."""
