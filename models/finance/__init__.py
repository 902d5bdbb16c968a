"""Finance (kế toán): fee items per school year, exemptions and reductions by policy category, charges per
class and period, payments with gap-free receipt numbers and reversing entries, balances.

Money is whole đồng in integers (models/rules/money.py). A posted payment is never edited or deleted; a
mistake is undone by a reversing entry with a reason. Every write goes to the audit log.

The modules other areas may import are listed in __all__ (tests/test_layers.py holds them to it)."""
__all__ = ["fees", "payments", "reports", "disclosure"]
