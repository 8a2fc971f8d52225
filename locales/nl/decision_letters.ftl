# Decision letters and the request page as the hub (issue 5 item 10).
letter-download = Besluitbrief
letter-in-dutch = Nederlands (PDF)
letter-in-english = Engels (PDF)
letter-hub-request-id = verzoek-id
letter-hub-rectification = Gegevens corrigeren op de rechtenpagina van de cliënt
letter-hub-restriction = Verwerking beperken op de rechtenpagina van de cliënt
letter-hub-objection = Bezwaar afwegen op de rechtenpagina van de cliënt
letter-hub-withdrawal = Intrekken van toestemming vastleggen op de rechtenpagina van de cliënt
letter-hub-erasure = Verwijdering beoordelen en uitvoeren
letter-hub-portability = Gegevens overdragen
dashboard-escalated-title = Verzoeken over de termijn
dashboard-escalated-notice = Verzoek { $reference } is over de termijn en geëscaleerd.
dashboard-escalated-link = Naar de verzoeken
