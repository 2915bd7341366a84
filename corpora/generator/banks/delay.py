"""Sentence bank: delay_timeliness.  Format: see risk.py."""

LABEL = "delay_timeliness"

GAP = r"""
@topic visit
hv,cn | Statutory visit completed today; it was due on {date}.
hv | This visit is {weeks} weeks overdue.
cn | CP visits have not taken place within the ten working day timescale since {month}.
hv #lac | LAC visit out of timescale; the last visit was in {month}.
hv | First visit since the ICPC {weeks} weeks ago.
hv | Initial visit took place {days} days after the referral was received.
cn | No visit has been made since {olddate}.
hv,cn | The CIN visit due last month was missed and no new date was set.
hv #kinship | The Reg 24 visit to {carer} was not completed within the required timescale.
hv | Home visit finally completed today after being on the to-do list for {weeks} weeks.

@topic referral
ct,cn | Referral from {agency} was received on {date} but was not screened until today.
ct | This contact was logged {days} days ago and has only now been passed to the team.
cn | The referral to the drug and alcohol service agreed at the CIN meeting has not been sent.
cn,me | The CAMHS referral agreed at the ICPC has still not been made.
ct | The police notification of {date} was not looked at until today.
cn | Referral to the IFSS panel still not submitted.
cn #dv | The MARAC referral agreed on {olddate} was not sent.

@topic assessment
as | The C&F assessment is now out of timescale (day [52|58|61|67] of 45).
as | Assessment completed in {weeks} weeks against a 45 working day timescale.
as,cn | The s47 enquiry is still open {weeks} weeks after the strategy discussion.
cn,as | The parenting assessment has not started although it was agreed in {month}.
as #kinship | The viability assessment of {carer} was completed {weeks} weeks late.
as #disability | The assessment of {c}'s needs took {months} months to complete.
cn #kinship | The connected person assessment has passed the 16-week deadline.
as | Single assessment not completed by the day 45 deadline; extension not recorded.

@topic meeting
sd | This strategy discussion was held {days} days after the disclosure.
me | ICPC held on day [19|21|24], outside the 15 working day timescale.
me | The RCPC was held late because the date was not booked in time.
me #lac | LAC review held {weeks} weeks outside timescale.
me | The CIN review was due in {month} and is only taking place now.
me | Core group not held since {olddate}.
sd | The strategy meeting requested on {date} is still waiting to be convened.
me | The first CIN meeting was held {weeks} weeks after the plan started.

@topic action
me,cn | Actions from the last core group were not done by their date: {school} letter, GP check, FSW referral.
cn | The letter to {mum} confirming the outcome of the assessment has not been sent.
cn | The chronology that was due for the legal meeting on {olddate} is still not complete.
me | The written agreement was due to be reviewed last month and has not been.
cn #lac | The PEP for {c} is overdue.
cn #lac | The initial health assessment was not requested within the statutory timescale.
cn,hv | The housing support letter promised to {mum} in {month} has still not been written.
cn | Minutes of the core group from {olddate} have not been circulated.
me,cn | The plan said the FSW would start by {olddate}; sessions have not begun.
cn #physical | The CP medical was not arranged until {days} days after the bruise was seen.
hv,cn | The safe sleep advice that was meant to be given within a week of the birth was not given until today.
cn | The request for police checks sent on {olddate} was not chased and the checks are still outstanding.
cn #lac | The placement plan was not completed within five days of {c} moving in.
cn,me #kinship | The SGO support plan agreed at court has not been started.
cn #disability | The referral for a short breaks assessment was made {weeks} weeks after it was agreed.
hv | Visit did not happen within five working days of allocation as planned; it took place today, on day [9|11|12].
me | The RCPC had to be rearranged and is now [three|four] weeks past the date set at the ICPC.
cn %teen | The return home interview after the missing episode on {olddate} was never done.
cn,me | Contact with {dad} was meant to start by {olddate} and has still not been set up.
"""

NEAR = r"""
@topic visit
hv,cn | Statutory visit completed within timescale (day 8 of 10), and {c} was seen alone.
hv | Visit rescheduled from Monday to Wednesday at {mum}'s request because of a hospital appointment; the new date is still within the statutory timescale.
hv #lac | LAC visit completed within six weeks of the last one, as required.
hv | First visit since the ICPC, completed within the ten working days set out in the plan.
hv | Initial visit made on the day the referral was allocated, within the timescale set by the MASH TM.
hv,cn | The CIN visit planned for last Tuesday was moved to Thursday because {c} was unwell; it took place on Thursday as agreed.
hv #kinship | The Reg 24 visit to {carer} was completed on the first working day after placement, within timescale.
hv | Visit moved forward by a week at the request of {school} so that I could see {c} before the holidays.

@topic referral
ct,cn | Referral from {agency} received at 10am and screened by midday, with a decision within 24 hours.
ct | The police notification from last night was reviewed this morning and passed to the allocated SW the same day.
cn | The referral to the drug and alcohol service agreed at the CIN meeting was sent the next day and {mum} has an appointment on {next}.
cn,me | The CAMHS referral agreed at the ICPC was sent within two days and has been accepted.
cn #dv | MARAC referral sent on the day of the incident, as agreed with {mum}.

@topic assessment
as | The C&F assessment was completed on day 38, within the 45 working day timescale.
as,cn | The s47 enquiry was completed within timescale and the ICPC is booked.
as #kinship | The viability assessment of {carer} was completed within the timescale set by the court.
as | The assessment needed an extension because {mum} was in hospital; this was agreed by the TM in advance, the reason is recorded and the new date was met.
cn #kinship | The connected person assessment is on track to be completed within the 16-week timescale.

@topic meeting
sd | Strategy discussion held on the same day as the disclosure.
me | ICPC held on day 13, within the 15 working day timescale.
me | The RCPC was held on the date set at the ICPC, three months later.
me #lac | LAC review held within timescale, 28 days after {c} became looked after.
me | The CIN review is on time; the last one was six weeks ago.
me | The core group met within ten working days of the ICPC, as required.
me | The CIN meeting was moved by two days to allow {dad} to attend, still within the review timescale.

@topic action
me,cn | All actions from the last core group have been completed by their dates: {school} letter sent, GP check done, FSW referral accepted.
cn | The outcome letter was sent to {mum} on the day the assessment was authorised.
cn | The chronology for the legal meeting was completed a week before it was needed.
cn #lac | The PEP was held within timescale and {c}'s targets were agreed with the designated teacher.
cn #lac | The initial health assessment was requested on the day {c} came into care and has been booked within timescale.
cn,hv | The housing support letter promised to {mum} at the last visit was sent on {date}.
cn | Core group minutes circulated within five working days.
me,cn | The FSW started work with the family on the date set out in the plan.
cn #physical | The CP medical was arranged and completed on the same day the bruise was reported.
cn %teen | The return home interview was completed within 72 hours of {c} being found.
hv | The visit was a day later than planned because of the snow; it was still inside the ten working day timescale and {mum} was told the day before.
"""
