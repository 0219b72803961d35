"""Stage 6, report: what a reader sees, from the assessments and the figures.

Takes the stored assessment, the observations and the figures stage; gives the notebooks' sections
(``sections``: ``DomainSection``, ``Overview``), report tables in Chinese or English (``tables``,
``breakdowns``), the Word/HTML document for the district government (``document``, with the mid-term
chapter ``midterm``, both built from ``blocks``), the executed notebooks as HTML (``html``), the
exploration widgets (``explore``) and any report figure by id at a journal's size (``figure_kit``).
"""
