"""A coalition's assessment: many partners' files, one picture, a consensus round, progress.

A coordinator sends the blank template to partner organizations and gets one
file back from each. This package reads and checks those files together
(:mod:`.partners`), combines them indicator by indicator (:mod:`.combine`),
lists where partners disagree for the consensus meeting (:mod:`.discussion`),
writes and reads the combined file (:mod:`.combined_file`), and compares two
dated assessments, a year apart for example (:mod:`.compare`). Charts for all
of it, each with a text equivalent, are in :mod:`.charts`.

Partners are named by organization, never by person; nothing here asks for or
shows a person's contact details or the address of a confidential service.
"""
