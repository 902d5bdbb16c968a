"""Pure domain rules (school assessment regulations): no database and no Flask."""
