"""Intake: articles as they arrive (Word documents, back-issue text and PDFs) turned
into manifest entries, body files and photos, with a note for every decision made.

Readers (`docx`, `text`, `pdf`) turn one source into `Draft` articles and notes;
`write` appends them to an issue. Nothing here prints: the `import` command does.
"""
