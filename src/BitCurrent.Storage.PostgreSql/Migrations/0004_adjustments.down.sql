DROP TABLE adjustment_audit;
DROP TABLE adjustments;
