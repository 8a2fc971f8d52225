# Recordings in a dossier (SEC-3): an image or sound recording only with the agreement of those recorded.
rec-fieldset = Opname van personen (foto, geluid of video)
rec-help = Een geluids- of video-opname, of een foto van personen, komt alleen in het dossier met de vastgelegde toestemming van wie erop staan. Een gescande brief of ander document is geen opname: laat dit dan leeg.
rec-marked = Deze afbeelding is een foto of opname van personen
rec-person = Wie staat erop
rec-how = Hoe gaf deze persoon toestemming
rec-how-choose = Kies
rec-how-written = schriftelijk
rec-how-oral = mondeling
rec-how-in-recording = in de opname zelf
rec-agreed-on = Datum van de toestemming
rec-shown = Opname met toestemming van
rec-shown-on = gegeven op { $date }
invalid-recorded-name = Een opname van personen komt alleen in het dossier met hun toestemming: vul in wie erop staan.
invalid-recorded-how = Kies voor iedereen op de opname hoe die toestemming gaf: schriftelijk, mondeling of in de opname zelf.
invalid-agreed-on = Vul de datum in waarop de toestemming is gegeven (niet in de toekomst).
invalid-recording = Alleen een afbeelding, geluid of video kan een opname van personen zijn.
