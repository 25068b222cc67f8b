"""Search boxes: postings ranked by the match engine with SQL filters, organizations by analyzer terms; one page
at a time, hits marked in the title and a snippet."""
