"""French text helpers shared by every stage: collation and folding (collate), printed typography (typo)."""
