"""Sentence bank: family_support_drift.  Format: see risk.py."""

LABEL = "family_support_drift"

GAP = r"""
@topic noreview
me,cn | IFSS has been in place since {month} with no review of whether it is making a difference.
me | Family support continues; no review of impact.
hv,cn | FSW continues to visit weekly as per the plan, which has been in place for {months} months.
me | The parenting programme was completed in {month}, but there has been no check on whether anything changed at home.
cn | Early help support has been open for over a year and has never been reviewed.
me | Support from the family centre is to continue indefinitely.
hv | Session {n}2 with {mum}: continued with routines work.
cn | The family have had IFSS, a parenting course and a TAF since {month}; nobody has looked at what difference any of it made.
me | Services remain in place, and the FSW reported that sessions are going ahead.
me,as | CIN plan in place for {months} months; support ongoing.

@topic recurring
me | The same concerns about {concern} were raised at this review as at the last [two|three] reviews.
hv | The home conditions are back to how they were before the deep clean and the FSW sessions.
cn | This is the [fourth|fifth] referral from {school} about {c}'s hygiene since {month}.
me | {concern} has come up at every CIN meeting since the plan began.
as | The family's history shows the same cycle: concerns, support, closure, re-referral.
cn | {agency} have made another referral about the same issue; the response is again to offer the FSW.
hv | {mum} is again struggling with the morning routine despite six months of support with it.
me | {c}'s attendance has dropped back to 70% after improving last term; the plan continues as before.
cn | Repeat referral for neglect; the case was closed three months ago after the same support.
me | {school} said they are seeing the same things they were seeing when the plan started.

@topic unchanged
me | CIN plan unchanged since {month}.
me | Plan reviewed and agreed to continue as is.
me | The outcomes on the plan are the same as at the last [three|two] reviews.
me | The CP plan is the same as the one made at the ICPC, despite two RCPCs.
me | No changes to the plan.
as,me | Recommendation: continue with the current package of support.
cn | The plan has been rolled forward again with new dates but no other changes.
me #lac | The care plan has not changed since {c} became looked after [two|three] years ago.
me #disability | The support package for {c} has been the same for two years although {his} needs have changed.
me | Step down refused again and the plan continues unchanged for a further three months.

@topic nomeasure
me | There are no measures on the plan to show whether things are getting better.
me | The FSW reported that {mum} is engaging well but could not say what has changed.
cn | The outcome star has not been repeated since the start of the work in {month}.
me | Progress was described as "ongoing".
hv | {mum} continues to engage with support.
me | Attendance at the parenting group is good; impact not known.
me,cn | The plan's outcomes are written as "improve parenting" and "reduce concerns", with nothing to measure them against.
me | Agencies agreed things are "about the same".

@topic disengage
hv | {mum} was not in again for the FSW session; this is the fifth missed session and the plan continues.
me | {mum} has attended two of the last eight appointments with the drug and alcohol service; the CIN plan continues unchanged.
cn | FSW sessions keep being cancelled by the family, and support carries on as planned.
me | {dad} has not attended any of the programme sessions, and the plan still relies on him completing it.
hv | No answer at the door for the third planned FSW session in a row; will try again next week.

@topic extended
me | IFSS extended for a further 12 weeks.
me | The family support package was extended again without any discussion of what it has achieved so far.
cn | The early help plan is being stepped down and back up for the third time.
me | The CIN plan has now run for {months} months; the meeting agreed to keep going.
me | It was agreed to extend the CIN plan because "there is still work to do".
cn | {mum} has been on the parenting course waiting list since {month} and the plan has been waiting for it.
hv | Another FSW session on budgeting, the same as the sessions in {month}; {mum} is still in arrears.
me #kinship | {carer} has had the same support offer since the SGO was made and still reports not coping with {c}'s behaviour.
me | The TAF has met [six|seven] times and the action plan has hardly changed between meetings.
"""

NEAR = r"""
@topic noreview
me,cn | IFSS has been in place since {month}; at today's review we looked at what has changed: {c}'s attendance is up from 74% to 93% and bedtimes are now consistent most nights.
me | The family support was reviewed today against the three outcomes in the plan; two are met, and the support will now focus on the third, {concern}.
hv,cn | The FSW's weekly visits were reviewed after eight weeks; {mum} now does the morning routine without prompts, so visits have reduced to fortnightly.
me | The parenting programme finished in {month}; {mum} and the FSW described specific changes, such as a calm-down corner and a visual timetable, which {school} has also noticed.
me | At the review, the outcome star was repeated and showed improvement on four of six areas, so the plan has been updated to focus on the remaining two.

@topic recurring
me | Concerns about {concern} have been raised again, so the plan has been changed: the FSW work is ending and a referral to the specialist service has been made instead, as the same support has not worked twice.
hv | The home conditions have slipped back, and we have agreed a different approach, with {mum} choosing one room a week and the FSW checking it, rather than a deep clean.
cn | As this is a repeat referral about {c}'s hygiene, the TM agreed that offering the same support again would not help and a C&F assessment is being done instead.
me | The group agreed that the plan is not working because the same concerns keep coming back, so the case is to be escalated to an ICPC.
me | {c}'s attendance dropped back after improving; the plan was changed to include a school-based mentor and a morning check-in by the FSW.

@topic unchanged
me | The CIN plan was reviewed and changed: two outcomes have been achieved and removed, and a new outcome about {c}'s emotional health was added.
me | The plan was updated at the RCPC to reflect the progress with {concern} and the new concern about {concern2}.
me #lac | The care plan was reviewed at the LAC review and changed to long-term fostering with the current carers, as {c} wishes.
me #disability | The support package was reviewed because {c}'s needs have changed: an extra short break and a new OT assessment were added.
me | Plan reviewed and updated, with new dates and owners for each action.

@topic nomeasure
me | Progress was measured against the baseline: {school} attendance is 96% (was 81%), no police call-outs since {month}, and {c}'s weight is now on the 25th centile.
me | The FSW reported that {mum} now reads with {c} every night and that the home conditions checklist has been met on the last six visits.
cn | The outcome star was repeated at 12 weeks and showed clear progress, which was shared with {mum}.
me | Progress against the plan: all three measurable outcomes are met or nearly met, as set out in the review.

@topic disengage
hv | {mum} has missed three FSW sessions, so I visited with the FSW to discuss this; she explained the timing clashes with her shifts, so sessions have moved to Saturday mornings.
me | {mum} has not been attending the drug and alcohol service; the meeting agreed this means the plan is not working and escalated the case to ICPC.
cn | After repeated cancellations, the TM reviewed the support and changed the plan to a short, focused piece of work that {mum} has agreed to.

@topic extended
md,me | IFSS extended for 6 weeks because the review showed good progress with routines but not yet with school attendance; the extension focuses on attendance only, with a review on {next}.
me | The support package was extended after a review of what it has achieved, with the FSW work changed to focus on {c}'s emotional wellbeing.
me | The CIN plan was reviewed at 9 months and the group agreed to step down to early help because the outcomes have been met.
cn | {mum} could not get onto the parenting course, so the plan was changed to one-to-one work with the FSW, which started the same month.

@topic general
me,hv,cn | The FSW's sessions on routines have had a measurable impact: {c} is now in bed by 8pm on five nights out of seven, up from one at the start.
me | The family support offered so far has worked, and the review recorded the evidence: fewer calls to police, better attendance and {mum}'s own account of feeling more confident.
me #kinship | {carer}'s SGO support was reviewed because she is still struggling with {c}'s behaviour; the plan now includes therapeutic parenting training and a specialist CAMHS referral.
me | The TAF reviewed the action plan properly this time: four actions are complete, two were not working and have been replaced, and the dates are realistic.
hv | The budgeting sessions were reviewed with {mum}: the arrears have reduced by half since {month}, so the remaining sessions will focus on the gas debt.
me | The group compared the plan with the last review and agreed it needs to change, because {c} is still missing school on Mondays; a new morning check-in has been added.
cn | Before agreeing to extend the support, the TM looked at the FSW's session records and the outcome measures, which show steady improvement.
me #disability | The review of {c}'s care package found that the evening carers are making a real difference to {mum}'s sleep, so the package continues with one change.
me | The FSW brought the before and after scores from the parenting questionnaire, which show a clear improvement, and the group agreed to close the FSW work.
hv,cn | {mum} and the FSW reviewed the goals they set in {month}: she has met the goal of getting {c} to school on time, and they set a new goal about meals.
"""
