# Decision letters and the request page as the hub (issue 5 item 10).
letter-download = Decision letter
letter-in-dutch = Dutch (PDF)
letter-in-english = English (PDF)
letter-hub-request-id = request id
letter-hub-rectification = Correct data on the client's rights page
letter-hub-restriction = Restrict processing on the client's rights page
letter-hub-objection = Weigh the objection on the client's rights page
letter-hub-withdrawal = Record the withdrawal of consent on the client's rights page
letter-hub-erasure = Assess and carry out the erasure
letter-hub-portability = Transfer the data
dashboard-escalated-title = Requests past their deadline
dashboard-escalated-notice = Request { $reference } is past its deadline and was escalated.
dashboard-escalated-link = To the requests
