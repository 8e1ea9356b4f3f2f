"""The public catalogue (OPAC): a school's or the whole province's, for students, teachers and
anyone; readers log in with their code and PIN (or a linked account) for their loans and holds."""
