"""Recognition: find the statistics tables in a document, align them to the
official templates, read the numbers and the sections, check the totals."""
