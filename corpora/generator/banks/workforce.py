"""Sentence bank: workforce_capacity.  Format: see risk.py."""

LABEL = "workforce_capacity"

GAP = r"""
@topic change
* | This is {c}'s [third|fourth] social worker in [six|eight] months.
hv @w | First visit as the new SW; there was no handover from the previous worker.
hv,cn | Case transferred to a new SW without a handover visit.
hv @w | {c} asked why {his} social worker keeps changing and whether I will leave too.
cn | Case reallocated again following the restructure of the team.
hv @w | {mum} said she is "sick of telling her story" to a new worker every few months.
cn | Fourth change of allocated worker since the ICPC.
me | The family have had [three|four] social workers since the last review.
hv,cn @w | I have picked this case up this week and am still reading in; there was no transfer summary.
cn | Case moved between teams twice this year.

@topic agency
cn | Agency SW left with a week's notice and the case is awaiting reallocation.
* | The agency worker's contract ended on {date} and no replacement has been found.
hv @w @a | As an agency worker covering for six weeks I have not met the family before today.
cn | Locum SW has given notice; the case will be transferred again.
me | The agency SW who wrote the assessment has left and no one at the meeting knew the family.
cn | The agency manager covering the team left at the end of last month.

@topic unallocated
cn | Case unallocated since {date}; the TM has directed that duty complete the statutory visits until a worker is found.
* | The case is held on the duty system while awaiting allocation.
cn | No allocated worker at present; duty will respond to any contacts.
cn,me | The case has been unallocated for {weeks} weeks and is being held by the TM, who is reviewing it weekly.
ct | Duty worker covering as the case has no allocated SW.
cn | Case held by the TM pending allocation as there is no capacity in the team.

@topic sickness
* | The allocated SW is off sick and no cover has been arranged.
cn | SW on long-term sick leave since {month}; cases not covered.
hv @w | Visiting as duty cover because the allocated worker is off sick; I do not know the family.
cn | FSW off sick, so the sessions with {mum} have stopped.
cn | The IRO is on leave and there is no cover for the review.

@topic caseload
* @w | Caseload currently 31 children, so visits are being prioritised by risk.
cn @w | I am holding [28|30|33] children and cannot visit this family as often as the plan says.
cn | Team carrying [five|six] vacancies; workers are over the caseload threshold.
cn @w | Due to my caseload I have not been able to do direct work with {c}.
me | The SW explained that her caseload has meant she has not been able to progress the plan.
cn | Half the team are agency staff and several posts are vacant.
cn @w | There is no capacity in the team to co-work this case.

@topic resources
cn | No family support worker available; the service is closed to new referrals.
cn | There is no one available to supervise contact so it has been cancelled this week.
cn #lac | No foster placement available; {c} is staying in an unregistered placement.
cn | No interpreter could be booked so the visit went ahead using {c} to translate.
cn | The pool car was not available, so the visit to the out-of-area placement did not happen.
cn #disability | No short breaks provision is available in the area for {c}.
cn | The contact centre is fully booked for the next month.
cn #lac | {c} is placed 60 miles away because there were no local placements.
cn #disability | There is no OT capacity to assess the adaptations {c} needs at home.

@topic it
cn | The system was down for most of the day so the assessment could not be completed.
cn,hv @w | Work phone not working, so I could not ring {mum} to confirm the visit.
cn @w | Laptop broken for two weeks, so I am unable to update records or access the case file.
cn | The new case management system is not showing the chronology so the worker could not prepare for the meeting.
cn | IT outage meant the strategy discussion minutes were lost.
cn @w | VPN not working at home, so I could not access the case notes before the visit.
hv @w | The translation app on my work phone would not load, so the conversation with {mum} was very limited.
cn | Team shortages mean the case has been passed to the assessment team's duty rota for the time being.
cn @w | I only work three days a week now the team has lost two posts, so {mum} could not reach me when she rang.
* | {mum} said she has never met the same social worker twice.
"""

NEAR = r"""
@topic change
hv @w | Joint handover visit today with the outgoing SW; {c} was told about the change last week, and we explained together why it is happening and when I will visit next.
cn | Planned transfer to the new SW completed: the transfer summary is on file, the handover visit was on {date}, and {mum} has the new worker's number.
hv @w | First visit as the new SW after a handover visit with the previous worker last week; {c} remembered me and showed me the garden.
me | The new SW was introduced at the review by the previous worker, who stayed for the whole meeting to ensure a good handover.
cn | Change of worker planned over four weeks, with two joint visits, because {c} has had previous changes and needs time to adjust.
hv @w | I explained to {c} that I will be {his} social worker now; we looked at a photo of the previous worker and {c} made her a goodbye card.

@topic agency
cn | The agency SW's contract ends in four weeks; the TM has allocated a permanent SW, and two joint visits are booked before the handover.
* | The agency worker is staying on this case until the final hearing to ensure continuity, as agreed with the TM.
hv @w @a | I am an agency worker but have held this case since the referral and will do so until the review in {month}.
cn | The locum SW's handover to the permanent worker was completed, with a joint visit and a written transfer summary.

@topic unallocated
cn | Case allocated on the day of transfer from MASH to the SW who did the initial visit.
ct | Duty SW visited on the allocated worker's day off, as agreed in the plan; the allocated SW was updated the next morning.
cn | The TM allocated the case within 24 hours of the strategy discussion.
cn,me | The case has had the same allocated SW since the referral.

@topic sickness
* | The allocated SW is on leave this week; cover has been arranged with a named colleague who has read the file and met the family.
cn | While the SW was off sick for two weeks, a named duty worker completed the planned visits and the family were told who to contact.
hv @w | Visiting as agreed cover for the allocated worker, who is on leave; I read the file and spoke to her before the visit.
cn | The FSW was unwell for a week, so a colleague from the same team covered the two sessions and the work carried on as planned.

@topic caseload
* @w | My caseload is within the team threshold, which has allowed weekly visits and direct work with {c} as set out in the plan.
cn | Weekly direct work sessions with {c} have taken place as planned since {month}.
me | The SW was able to show that every action in the plan has been progressed since the last review.
cn @w | The SP is co-working the case with me, as agreed at allocation because of its complexity.

@topic resources
cn | The FSW referral was accepted and sessions started within a week.
cn | Contact supervised by the family centre every Saturday, as planned.
cn | Interpreter booked for all visits, so {mum} can take part fully.
cn #lac | {c} moved into a local foster placement that was matched to {his} needs, close to {school}.
cn #disability | The short breaks panel agreed two nights a month and these started in {month}.

@topic it
cn | The system was down for an hour this morning, so I recorded the visit once it was back up; the visit itself went ahead as planned.
cn,hv @w | My work phone was being repaired, so I rang {mum} from the office phone to confirm the visit as usual.
cn @w | The laptop was replaced the same day it broke, so no recording or visits were affected.
hv @w | {mum} asked if I am leaving like the others; I explained I am a permanent member of the team and will be her worker until the case closes.
cn | The new SW read the whole file and the transfer summary before her first visit, and met the previous worker to talk about {c}'s needs.
me | The family have had the same SW and FSW throughout the plan, which {mum} said has helped her trust the service.
cn | Although the team has vacancies, this case has stayed with its allocated worker, who has visited every two weeks as planned.
* | The SW going on maternity leave introduced the new worker over two joint visits and a handover meeting with {mum}.
cn | The FSW service had a waiting list, but the TM secured a place because of the risk, and sessions started within ten days.
"""
