# Recordings in a dossier (SEC-3): an image or sound recording only with the agreement of those recorded.
rec-fieldset = Recording of people (photo, sound or video)
rec-help = A sound or video recording, or a photo of people, goes into the dossier only with the recorded agreement of those on it. A scanned letter or other document is not a recording: then leave this empty.
rec-marked = This image is a photo or recording of people
rec-person = Who is on it
rec-how = How did this person agree
rec-how-choose = Choose
rec-how-written = in writing
rec-how-oral = orally
rec-how-in-recording = in the recording itself
rec-agreed-on = Date of the agreement
rec-shown = Recording with the agreement of
rec-shown-on = given on { $date }
invalid-recorded-name = A recording of people goes into the dossier only with their agreement: name who is on it.
invalid-recorded-how = Choose for everyone on the recording how they agreed: in writing, orally or in the recording itself.
invalid-agreed-on = Give the date the agreement was given (not in the future).
invalid-recording = Only an image, sound or video can be a recording of people.
