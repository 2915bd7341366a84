"""Sentences that show two gaps at once (the codebook's "one sentence, two labels").

Line format:  label,label | TYPES [FLAGS] | sentence
Label codes: risk mgmt sup delay rec work drift.  The sentence is listed as evidence
under both labels.  Other flags as in risk.py.
"""

DUAL = r"""
delay,work | hv,cn | Visit overdue as case unallocated since SW left.
delay,work | hv,cn | Statutory visit out of timescale due to SW sickness and no cover.
delay,work | as,cn | Assessment out of timescale; the worker's caseload of [28|31] children is given as the reason.
delay,work | cn | The strategy discussion was delayed by a week because no SW was available to attend.
delay,work | hv | This is the first visit for {weeks} weeks because the previous agency worker left without handing over.
delay,work | cn | No visit since {olddate} as the case has been sitting on the unallocated list.
delay,work | me | The RCPC was postponed because the allocated SW had left and the new worker had not met the family.
delay,work | cn | The referral to the FSW team has waited {weeks} weeks because of the team's vacancies.
delay,work | cn | The visit planned for {date} did not happen because the system was down and the address could not be accessed.
mgmt,work | cn | Case unallocated since {date}; no manager direction on file.
mgmt,work | cn,me | The case has been unallocated for {weeks} weeks and nobody has reviewed it.
mgmt,work | cn | The TM post has been vacant since {month}, and no one has signed off the plan.
mgmt,delay | cn,as | Awaiting TM sign-off of the assessment for {weeks} weeks.
mgmt,delay | cn,sd | The strategy discussion requested on {date} has not been convened and there is no manager decision on it.
mgmt,delay | cn | The closure summary has been waiting for authorisation since {month}.
mgmt,delay | cn | The request for a legal planning meeting made in {month} is still waiting for a decision by the TM.
risk,mgmt | sd ! @w @end | Outcome: NFA, single agency.
risk,mgmt | cl ! @w | Case closed despite the police call-out on {date}.
risk,mgmt | cn ! @w #lac/kinship | Unsupervised contact with {mum} to start from this weekend.
risk,mgmt | as ! @w @end | Risk low. Close.
risk,mgmt | cl ! @w #dv | {mum} says she has ended the relationship, so the case is being closed.
risk,mgmt | cn ! @w #dv/physical | Agreed that {dad} can move back into the family home.
sup,work | su,cn | Supervision has not been held since {month} as the team has had no permanent manager.
sup,work | cn @w | With the TM post vacant there has been no supervision this quarter.
sup,work | su | Supervision cancelled because the SP covering the team has 40 cases of her own.
sup,mgmt | cn | No supervision or management oversight recorded since allocation in {month}.
sup,mgmt | cn @w | I have had no supervision and no manager has looked at this case since the ICPC.
rec,work | hv,cn | Recorded [three|four] weeks late as the laptop was not working.
rec,work | hv,cn | Notes from the visit were lost when the laptop crashed, and this has been written up from memory {weeks} weeks later.
rec,work | cn | Catch-up entry: the previous worker left without recording the last [three|four] visits.
rec,delay | hv | Retrospective entry for an overdue visit completed some time last month.
rec,delay | me | Minutes of the core group from {olddate} have still not been typed up or circulated.
drift,delay | me | CIN review out of timescale and plan unchanged since {month}.
drift,delay | me | The review was [six|eight] weeks late and agreed to continue the same support.
drift,mgmt | md @m | IFSS extended again for a further 12 weeks.
drift,mgmt | cn,me | Family support has been extended [twice|three times] without any review of impact or a manager's decision.
drift,work | me,cn | Family support has continued for {months} months across three changes of worker without a review of whether it is helping.
drift,work | cn | Each new worker has restarted the same parenting work with {mum}.
risk,rec | hv | Saw {c} briefly at the door; {mum} said {dad} had been arrested, no further detail recorded.
risk,rec | hv | Visit completed. Mark on {c}'s face noted. All fine.
risk,delay | ct,cn %sch | {dsl} reported a mark on {c}'s neck on {date} and the case was not looked at for [four|six] days.
delay,mgmt | cn | The case has drifted since the RCPC, with no visits and no direction from the TM.
sup,delay | cn,su | Supervision is {weeks} weeks overdue and the actions from the last one are not done.
risk,work | hv @w | As the duty worker I did not know the history, so I did not ask about the injunction.
work,mgmt | cn | The case is held by the TM as unallocated, but there is no record of the TM doing anything with it.
"""
