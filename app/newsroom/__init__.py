"""The newsroom's workflow around claims: assignments, discussion notes, notifications, the editor's rating."""
